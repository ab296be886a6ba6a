package io.kspark.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;

/** One Spark application as {@code kspark list} shows it (serialised to JSON by Jackson, so registered for reflection). */
@RegisterForReflection
public record AppSummary(String namespace, String name, String appId, String driverPod, String phase,
                         String created, long ageSeconds, int executors) {

    public static AppSummary of(Pod driver, int executors, Instant now) {
        String created = driver.getMetadata().getCreationTimestamp();
        long age = created == null ? 0 : Math.max(0, Duration.between(Instant.parse(created), now).getSeconds());
        var labels = driver.getMetadata().getLabels();
        return new AppSummary(
                driver.getMetadata().getNamespace(),
                labels.getOrDefault("spark-app-name", ""),
                labels.getOrDefault("spark-app-selector", ""),
                driver.getMetadata().getName(),
                driver.getStatus() == null || driver.getStatus().getPhase() == null ? "Unknown" : driver.getStatus().getPhase(),
                created,
                age,
                executors);
    }

    /** kubectl-style age: 45s, 12m, 3h, 2d. */
    public String age() {
        if (ageSeconds < 120) {
            return ageSeconds + "s";
        }
        if (ageSeconds < 2 * 3600) {
            return ageSeconds / 60 + "m";
        }
        if (ageSeconds < 2 * 86400) {
            return ageSeconds / 3600 + "h";
        }
        return ageSeconds / 86400 + "d";
    }
}
