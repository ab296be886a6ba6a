package io.kspark.reconciler.plan;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kspark.k8s.SparkContainers;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether executors may be created for a driver pod yet. Spark's allocator starts only once the driver pod is
 * Running, then waits for it to be Ready (the headless Service resolves to ready pods only, so an executor started
 * earlier may not find its driver) for at most spark.kubernetes.allocation.driver.readinessTimeout, and goes on
 * regardless after that.
 *
 * @param open    executors may be created now
 * @param opensAt when a driver that is Running but not Ready stops being waited for
 */
public record DriverGate(boolean open, Optional<Instant> opensAt) {

    private static final DriverGate OPEN = new DriverGate(true, Optional.empty());
    private static final DriverGate SHUT = new DriverGate(false, Optional.empty());

    public static DriverGate of(Pod driver, Duration readinessTimeout, Instant now) {
        if (!"Running".equals(Planner.phase(driver))) {
            return SHUT; // the driver's next phase change wakes the planner
        }
        if (isReady(driver)) {
            return OPEN;
        }
        // The wait is counted from when Spark's container started (about when its allocator would start waiting).
        // Without that time there is nothing to count from: go ahead, as Spark does once its wait is over.
        Optional<Instant> opensAt = sparkContainerStartedAt(driver).map(startedAt -> startedAt.plus(readinessTimeout));
        if (opensAt.isEmpty() || !now.isBefore(opensAt.get())) {
            return OPEN;
        }
        return new DriverGate(false, opensAt);
    }

    private static boolean isReady(Pod driver) {
        return driver.getStatus().getConditions() != null && driver.getStatus().getConditions().stream()
                .anyMatch(DriverGate::isReadyTrue);
    }

    private static boolean isReadyTrue(PodCondition condition) {
        return "Ready".equals(condition.getType()) && "True".equals(condition.getStatus());
    }

    private static Optional<Instant> sparkContainerStartedAt(Pod driver) {
        String sparkContainer = SparkContainers.driver(driver).orElse(SparkContainers.DRIVER);
        if (driver.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return driver.getStatus().getContainerStatuses().stream()
                .filter(c -> sparkContainer.equals(c.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getRunning() != null && state.getRunning().getStartedAt() != null)
                .findFirst()
                .flatMap(state -> parse(state.getRunning().getStartedAt()));
    }

    private static Optional<Instant> parse(String timestamp) {
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
