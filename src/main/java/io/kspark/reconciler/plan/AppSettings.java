package io.kspark.reconciler.plan;

import io.kspark.conf.CoreKeys;
import io.kspark.conf.KsparkKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;

import java.time.Duration;
import java.util.Optional;

/**
 * An application's allocation settings, read once from its driver's Spark conf with Spark's
 * defaults and checks.
 *
 * @param maxPendingPodsPerRp    spark.kubernetes.allocation.maxPendingPodsPerRp: not-running executors per resource profile
 * @param newExecutorProtection  spark.dynamicAllocation.executorIdleTimeout: how long a new executor is safe from a lower
 *                               target (Spark's guard against churn when the target dips between stages)
 * @param checkAllContainers     spark.kubernetes.executor.checkAllContainers: any failed container fails the executor
 * @param failuresValidity       spark.executor.failuresValidityInterval: how long a failure counts (empty: for ever)
 * @param driverReadinessTimeout spark.kubernetes.allocation.driver.readinessTimeout: how long a Running driver pod that is
 *                               not Ready yet holds back executors (see {@link DriverGate})
 */
public record AppSettings(int batchSize, Duration batchDelay, int maxPendingPods, int maxPendingPodsPerRp, Duration podCreationTimeout,
                          boolean deleteOnTermination, boolean checkAllContainers, int maxExecutorFailures,
                          Optional<Duration> failuresValidity, int allocationMaximum,
                          Duration newExecutorProtection, Duration driverHeartbeatTimeout, Duration driverReadinessTimeout) {

    /** Spark's defaults (an empty conf). */
    public static AppSettings defaults() {
        return from(SparkConf.empty());
    }

    public static AppSettings from(SparkConf conf) {
        int maxPendingPods = conf.get(KubernetesKeys.MAX_PENDING_PODS);
        int maxPendingPodsPerRp = conf.get(KubernetesKeys.MAX_PENDING_PODS_PER_RP);
        if (maxPendingPodsPerRp != Integer.MAX_VALUE && maxPendingPodsPerRp > maxPendingPods) {
            // Spark's allocator refuses this at start (a require in ExecutorPodsAllocator), when the per-profile limit is set.
            throw UserInputException.forKey(KubernetesKeys.MAX_PENDING_PODS_PER_RP.key(), "(" + maxPendingPodsPerRp
                    + ") must not be greater than " + KubernetesKeys.MAX_PENDING_PODS.key() + " (" + maxPendingPods + ")");
        }
        Duration batchDelay = Duration.ofMillis(conf.get(KubernetesKeys.ALLOCATION_BATCH_DELAY));
        Duration executorTimeout = Duration.ofMillis(conf.get(KubernetesKeys.ALLOCATION_EXECUTOR_TIMEOUT));
        Duration creationTimeout = batchDelay.multipliedBy(5).compareTo(executorTimeout) > 0 ? batchDelay.multipliedBy(5) : executorTimeout;
        return new AppSettings(
                conf.get(KubernetesKeys.ALLOCATION_BATCH_SIZE),
                batchDelay,
                maxPendingPods,
                maxPendingPodsPerRp,
                creationTimeout,
                conf.get(KubernetesKeys.DELETE_EXECUTORS),
                conf.get(KubernetesKeys.EXECUTOR_CHECK_ALL_CONTAINERS),
                maxExecutorFailures(conf),
                conf.getOptional(CoreKeys.EXECUTOR_FAILURES_VALIDITY_INTERVAL).filter(ms -> ms > 0).map(Duration::ofMillis),
                conf.get(KubernetesKeys.ALLOCATION_MAXIMUM),
                Duration.ofSeconds(conf.get(CoreKeys.DYN_ALLOCATION_IDLE_TIMEOUT)),
                Duration.ofMillis(conf.get(KsparkKeys.DRIVER_HEARTBEAT_INTERVAL)).multipliedBy(KsparkKeys.HEARTBEAT_INTERVALS_LOST),
                Duration.ofSeconds(conf.get(KubernetesKeys.ALLOCATION_DRIVER_READINESS_TIMEOUT)));
    }

    /** spark.executor.maxNumFailures, else max(3, 2 x the executors the app may have). */
    static int maxExecutorFailures(SparkConf conf) {
        return conf.getOptional(CoreKeys.MAX_EXECUTOR_FAILURES).orElseGet(() -> {
            long effective = conf.get(CoreKeys.DYN_ALLOCATION_ENABLED)
                    ? conf.get(CoreKeys.DYN_ALLOCATION_MAX)
                    : conf.getOption(CoreKeys.EXECUTOR_INSTANCES).map(Long::parseLong).orElse(0L);
            return (int) Math.max(3, effective > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : 2 * effective);
        });
    }

    /** The initial executor count Spark's scheduler backend asks for (SchedulerBackendUtils). */
    public static int initialExecutors(SparkConf conf) {
        if (conf.get(CoreKeys.DYN_ALLOCATION_ENABLED)) {
            checkDynamicAllocationBounds(conf);
            int min = conf.get(CoreKeys.DYN_ALLOCATION_MIN);
            int initial = conf.getOption(CoreKeys.DYN_ALLOCATION_INITIAL).map(Integer::parseInt).orElse(min);
            int instances = conf.getOption(CoreKeys.EXECUTOR_INSTANCES).map(Integer::parseInt).orElse(0);
            return Math.max(min, Math.max(initial, instances));
        }
        return conf.getOption(CoreKeys.EXECUTOR_INSTANCES).map(Integer::parseInt).orElse(2);
    }

    /** Spark's ExecutorAllocationManager refuses these when the driver starts; kspark sets the first target from them, so sooner. */
    private static void checkDynamicAllocationBounds(SparkConf conf) {
        int min = conf.get(CoreKeys.DYN_ALLOCATION_MIN);
        int max = conf.get(CoreKeys.DYN_ALLOCATION_MAX);
        if (min < 0) {
            throw UserInputException.forKey(CoreKeys.DYN_ALLOCATION_MIN.key(), "must not be negative, but was " + min);
        }
        if (max <= 0) {
            throw UserInputException.forKey(CoreKeys.DYN_ALLOCATION_MAX.key(), "must be positive, but was " + max);
        }
        if (min > max) {
            throw UserInputException.forKey(CoreKeys.DYN_ALLOCATION_MIN.key(), "(" + min + ") must be less than or equal to "
                    + CoreKeys.DYN_ALLOCATION_MAX.key() + " (" + max + ")");
        }
    }
}
