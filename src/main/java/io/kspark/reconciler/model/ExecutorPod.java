package io.kspark.reconciler.model;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.k8s.SparkContainers;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One executor pod as the reconciler sees it: id, resource profile, state and exit details. The pod
 * itself is kept read-only for the REST API's details.
 */
public record ExecutorPod(long id, int resourceProfileId, ExecutorState state, String podName, Optional<Instant> createdAt,
                          Optional<Integer> exitCode, Optional<String> reason, boolean inactive, Pod pod) {

    /** The executor id from Spark's {@code spark-exec-id} label, if the pod is an executor. */
    public static Optional<Long> idOf(Pod pod) {
        String id = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("spark-exec-id");
        if (id == null || id.equals("EXECID")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Classifies a pod as Spark's ExecutorPodsSnapshot does (checking all containers, as by default). */
    public static ExecutorPod of(Pod pod, long id) {
        var labels = pod.getMetadata().getLabels();
        int profile = parseInt(labels.get("spark-exec-resourceprofile-id"));
        String sparkContainer = SparkContainers.executor(pod).orElse(SparkContainers.EXECUTOR);
        Optional<ContainerStatus> spark = pod.getStatus() == null ? Optional.empty()
                : pod.getStatus().getContainerStatuses().stream().filter(c -> sparkContainer.equals(c.getName())).findFirst()
                .or(() -> pod.getStatus().getContainerStatuses().stream().findFirst());
        Optional<Integer> exitCode = spark.map(ContainerStatus::getState).map(s -> s.getTerminated()).map(t -> t.getExitCode());
        Optional<String> reason = spark.map(ContainerStatus::getState)
                .map(s -> s.getTerminated() != null ? s.getTerminated().getReason() : s.getWaiting() != null ? s.getWaiting().getReason() : null)
                .or(() -> Optional.ofNullable(pod.getStatus() == null ? null : pod.getStatus().getReason()));
        Optional<Instant> created = Optional.ofNullable(pod.getMetadata().getCreationTimestamp()).map(Instant::parse);
        boolean inactive = "true".equals(labels.get(KsparkMetadata.SPARK_EXEC_INACTIVE));
        return new ExecutorPod(id, profile, stateOf(pod, sparkContainer, true), pod.getMetadata().getName(), created, exitCode, reason,
                inactive, pod);
    }

    /**
     * The same executor judged by its Spark container alone, for spark.kubernetes.executor.checkAllContainers=false
     * (then another container's failure does not fail the executor).
     */
    public ExecutorPod judgedBySparkContainerOnly() {
        String sparkContainer = SparkContainers.executor(pod).orElse(SparkContainers.EXECUTOR);
        return new ExecutorPod(id, resourceProfileId, stateOf(pod, sparkContainer, false), podName, createdAt, exitCode, reason, inactive, pod);
    }

    private static ExecutorState stateOf(Pod pod, String sparkContainer, boolean checkAllContainers) {
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? null : pod.getStatus().getPhase().toLowerCase(Locale.ROOT);
        if (pod.getMetadata().getDeletionTimestamp() != null && (phase == null || (!phase.equals("terminating") && !phase.equals("running")))) {
            return ExecutorState.DELETED;
        }
        if (phase == null) {
            // Not yet seen by the scheduler: the API server reports new pods as Pending.
            return ExecutorState.PENDING;
        }
        return switch (phase) {
            case "pending" -> ExecutorState.PENDING;
            case "running" -> runningState(pod, sparkContainer, checkAllContainers);
            case "failed" -> ExecutorState.FAILED;
            case "succeeded" -> ExecutorState.SUCCEEDED;
            case "terminating" -> ExecutorState.DELETED;
            default -> ExecutorState.UNKNOWN;
        };
    }

    /** A Running pod whose containers already exited counts as finished, as in Spark. */
    private static ExecutorState runningState(Pod pod, String sparkContainer, boolean checkAllContainers) {
        var statuses = pod.getStatus().getContainerStatuses();
        boolean anyFailed = checkAllContainers && "Never".equals(pod.getSpec().getRestartPolicy()) && statuses.stream()
                .anyMatch(s -> s.getState() != null && s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() != 0);
        if (anyFailed) {
            return ExecutorState.FAILED;
        }
        return statuses.stream().filter(s -> sparkContainer.equals(s.getName()))
                .map(s -> s.getState() == null ? null : s.getState().getTerminated())
                .filter(t -> t != null)
                .findFirst()
                .map(t -> t.getExitCode() == 0 ? ExecutorState.SUCCEEDED : ExecutorState.FAILED)
                .orElse(ExecutorState.RUNNING);
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
