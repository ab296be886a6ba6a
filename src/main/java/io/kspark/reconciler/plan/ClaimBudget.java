package io.kspark.reconciler.plan;

import io.kspark.conf.ConfEntry;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * spark.kubernetes.driver.waitToReusePersistentVolumeClaim: an application holds at most as many executor OnDemand
 * claims as it may have executors, and a new executor that finds no free claim waits for one rather than create
 * another. Spark counts the claims its allocator has created; kspark counts those of the app that exist, which a
 * restart cannot lose (the driver owns them, so they live as long as the app).
 *
 * @param limit       Spark's maxPVCs: spark.dynamicAllocation.maxExecutors with dynamic allocation, else
 *                    spark.executor.instances (2)
 * @param existing    the app's executor claims now
 * @param free        those no pod mounts and that are old enough to be reused
 * @param perExecutor OnDemand claims a new executor wants
 * @param nextFreeAt  when an unmounted claim that is still too young becomes reusable (no event says so)
 */
public record ClaimBudget(int limit, int existing, int free, int perExecutor, Optional<Instant> nextFreeAt) {

    private static final ConfEntry<Integer> EXECUTOR_INSTANCES = ConfEntry.integer(CoreKeys.EXECUTOR_INSTANCES, 2);

    /** The claim limit of an app with this conf, or empty when its executors never wait for claims. */
    public static OptionalInt limit(SparkConf conf) {
        if (!conf.get(KubernetesKeys.DRIVER_OWN_PVC) || !conf.get(KubernetesKeys.DRIVER_REUSE_PVC)
                || !conf.get(KubernetesKeys.DRIVER_WAIT_TO_REUSE_PVC)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(conf.get(CoreKeys.DYN_ALLOCATION_ENABLED)
                ? conf.get(CoreKeys.DYN_ALLOCATION_MAX)
                : conf.get(EXECUTOR_INSTANCES));
    }

    /**
     * What is left after one more executor takes its claims (free ones first, as Spark's allocator reuses them), or
     * empty when it has to wait: no claim is free and the app already has its limit (Spark's test, per executor).
     */
    public Optional<ClaimBudget> afterOneMore() {
        if (free == 0 && existing >= limit) {
            return Optional.empty();
        }
        int reused = Math.min(free, perExecutor);
        return Optional.of(new ClaimBudget(limit, existing + perExecutor - reused, free - reused, perExecutor, nextFreeAt));
    }
}
