package io.kspark.reconciler.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/** The REST API's JSON shapes (records serialised by Jackson, so registered for reflection in native mode). */
@RegisterForReflection(targets = {ApiModel.Application.class, ApiModel.Executor.class, ApiModel.ApplicationDetail.class,
        ApiModel.TargetAccepted.class, ApiModel.ExecutorDeleted.class, ApiModel.Error.class})
public final class ApiModel {

    private ApiModel() {
    }

    /**
     * One application: its driver, wanted and actual executors, allocation bookkeeping, a client-mode driver's last
     * heartbeat, and the problem the reconciler last reported for it as a Warning Event (null when none).
     */
    public record Application(String namespace, String appId, String name, String driverPod, String driverPhase,
                              Map<String, Integer> target, long lastExecutorId, int executorFailures, String allocationStopped,
                              Map<String, Long> executors, String driverHeartbeat, String problem) {
    }

    /** One executor pod and, when it is pending, why. */
    public record Executor(long id, String pod, int resourceProfileId, String state, Long ageSeconds, Integer exitCode, String reason,
                           String pendingReason) {
    }

    public record ApplicationDetail(Application application, List<Executor> executors) {
    }

    public record TargetAccepted(String namespace, String appId, int target) {
    }

    public record ExecutorDeleted(String namespace, String appId, long id, String pod) {
    }

    public record Error(int status, String error) {
    }
}
