package io.kspark.reconciler.plan;

import java.util.Optional;

/** A change the writer applies to the API server; each is idempotent. */
public sealed interface Action {

    /**
     * Writes the allocation bookkeeping to the driver pod, guarded by the driver's resource version
     * so two writers cannot both claim the same executor ids.
     */
    record PersistAllocation(long lastExecutorId, int failures, java.util.Set<Long> countedFailures,
                             java.util.List<java.time.Instant> failureTimes, Optional<String> stopped,
                             String driverResourceVersion) implements Action {
        public PersistAllocation {
            countedFailures = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(countedFailures));
            failureTimes = java.util.List.copyOf(failureTimes);
        }
    }

    record CreateExecutor(long id, int resourceProfileId) implements Action {
    }

    record DeleteExecutor(long id, String podName, String reason) implements Action {
    }

    /** Spark's alternative to deleting finished executors when spark.kubernetes.executor.deleteOnTermination=false. */
    record MarkInactive(long id, String podName) implements Action {
    }

    /** A Kubernetes Event on the driver pod. */
    record RecordEvent(String type, String reason, String message) implements Action {
    }
}
