package io.kspark.reconciler.plan;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A change the writer applies to the API server; each is idempotent. */
public sealed interface Action {

    /**
     * Writes the allocation bookkeeping to the driver pod, guarded by the driver's resource version
     * so two writers cannot both claim the same executor ids.
     */
    record PersistAllocation(long lastExecutorId, int failures, Set<Long> countedFailures, List<Instant> failureTimes,
                             Optional<String> stopped, String driverResourceVersion) implements Action {
        public PersistAllocation {
            countedFailures = Collections.unmodifiableSet(new TreeSet<>(countedFailures));
            failureTimes = List.copyOf(failureTimes);
        }
    }

    record CreateExecutor(long id, int resourceProfileId) implements Action {
    }

    /**
     * Deletes an executor's pod; with {@code onlyIfPending} (a lower target) only while it has not started, as Spark's
     * delete with a {@code status.phase=Pending} field selector does: one that started meanwhile stays.
     */
    record DeleteExecutor(long id, String podName, String reason, boolean onlyIfPending) implements Action {
        public DeleteExecutor(long id, String podName, String reason) {
            this(id, podName, reason, false);
        }
    }

    /** Spark's alternative to deleting finished executors when spark.kubernetes.executor.deleteOnTermination=false. */
    record MarkInactive(long id, String podName) implements Action {
    }

    /** A Kubernetes Event on the driver pod. */
    record RecordEvent(String type, String reason, String message) implements Action {
    }
}
