package io.kspark.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.reconciler.model.AppKey;
import io.kspark.reconciler.model.AppSnapshot;
import io.kspark.reconciler.model.ExecutorPod;
import io.kspark.reconciler.model.KsparkMetadata;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Small builders for driver and executor pods in planner and state tests. */
public final class Pods {

    public static final AppKey APP = new AppKey("ns", "spark-app");
    private static final AtomicLong VERSIONS = new AtomicLong(100);

    private Pods() {
    }

    public static Pod driver(String phase, String target, Map<String, String> moreAnnotations) {
        Map<String, String> annotations = new LinkedHashMap<>(moreAnnotations);
        if (target != null) {
            annotations.put(KsparkMetadata.EXECUTOR_TARGET, target);
        }
        return new PodBuilder().withNewMetadata().withName("app-driver").withNamespace(APP.namespace()).withUid("driver-uid")
                .withResourceVersion(Long.toString(VERSIONS.incrementAndGet()))
                .addToLabels("spark-app-selector", APP.appId()).addToLabels("spark-role", "driver")
                .addToLabels(KsparkMetadata.RECONCILER_LABEL, "controller").withAnnotations(annotations).endMetadata()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    public static Pod driver(String phase, String target) {
        return driver(phase, target, Map.of());
    }

    /** An executor pod in a phase; a terminated container with {@code exitCode} when given. */
    public static Pod executor(long id, String phase, Integer exitCode) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName("app-exec-" + id).withNamespace(APP.namespace())
                .withResourceVersion(Long.toString(VERSIONS.incrementAndGet()))
                .withCreationTimestamp(Instant.parse("2026-01-01T00:00:00Z").toString())
                .addToLabels("spark-app-selector", APP.appId()).addToLabels("spark-role", "executor")
                .addToLabels("spark-exec-id", Long.toString(id)).addToLabels("spark-exec-resourceprofile-id", "0")
                .endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("spark-kubernetes-executor").endContainer().endSpec();
        builder.withNewStatus().withPhase(phase).endStatus();
        if (exitCode != null) {
            builder.editStatus().addToContainerStatuses(new ContainerStatusBuilder().withName("spark-kubernetes-executor")
                    .withNewState().withNewTerminated().withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
                    .endTerminated().endState().build()).endStatus();
        }
        return builder.build();
    }

    public static AppSnapshot snapshot(Pod driver, Pod... executors) {
        Map<Long, ExecutorPod> byId = new LinkedHashMap<>();
        for (Pod executor : executors) {
            long id = ExecutorPod.idOf(executor).orElseThrow();
            byId.put(id, ExecutorPod.of(executor, id));
        }
        return new AppSnapshot(APP, Optional.ofNullable(driver), byId);
    }
}
