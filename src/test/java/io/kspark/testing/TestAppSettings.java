package io.kspark.testing;

import io.kspark.reconciler.plan.AppSettings;

import java.time.Duration;
import java.util.Optional;

/** Allocation settings for planner tables and benchmarks that do not care about the driver readiness timeout. */
public final class TestAppSettings {

    /** Spark's default spark.kubernetes.allocation.driver.readinessTimeout. */
    public static final Duration SPARK_DRIVER_READINESS_TIMEOUT = Duration.ofSeconds(1);

    private TestAppSettings() {
    }

    public static AppSettings of(int batchSize, Duration batchDelay, int maxPendingPods, int maxPendingPodsPerRp, Duration podCreationTimeout,
                                 boolean deleteOnTermination, boolean checkAllContainers, int maxExecutorFailures,
                                 Optional<Duration> failuresValidity, int allocationMaximum,
                                 Duration newExecutorProtection, Duration driverHeartbeatTimeout) {
        return new AppSettings(batchSize, batchDelay, maxPendingPods, maxPendingPodsPerRp, podCreationTimeout, deleteOnTermination,
                checkAllContainers, maxExecutorFailures, failuresValidity, allocationMaximum, newExecutorProtection, driverHeartbeatTimeout,
                SPARK_DRIVER_READINESS_TIMEOUT);
    }
}
