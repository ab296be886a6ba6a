package io.kspark.apps;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A driver pod described as spark-submit --status describes it (Spark's KubernetesUtils.formatPodState, field for field:
 * scripts that read one read the other), followed by one line of kspark's own: the application's executors.
 */
public final class PodDescription {

    private PodDescription() {
    }

    public static String describe(Pod pod, List<Pod> executors) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        var status = pod.getStatus();
        StringBuilder text = new StringBuilder();
        line(text, 1, "pod name", meta.getName());
        line(text, 1, "namespace", meta.getNamespace());
        line(text, 1, "labels", meta.getLabels() == null ? null : meta.getLabels().entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue()).collect(Collectors.joining(", ")));
        line(text, 1, "pod uid", meta.getUid());
        line(text, 1, "creation time", meta.getCreationTimestamp());
        line(text, 1, "service account name", spec == null ? null : spec.getServiceAccountName());
        line(text, 1, "volumes", spec == null ? null : spec.getVolumes().stream().map(Volume::getName).collect(Collectors.joining(", ")));
        line(text, 1, "node name", spec == null ? null : spec.getNodeName());
        line(text, 1, "start time", status == null ? null : status.getStartTime());
        line(text, 1, "phase", status == null ? null : status.getPhase());
        line(text, 1, "container status", status == null ? null : status.getContainerStatuses().stream()
                .map(PodDescription::container).collect(Collectors.joining("\n\n")));
        line(text, 1, "executors", executorSummary(executors));
        return text.toString();
    }

    /** One container, two tabs in: name, image, then what its state has (Spark's containerStatusDescription). */
    private static String container(ContainerStatus container) {
        StringBuilder text = new StringBuilder();
        line(text, 2, "container name", container.getName());
        line(text, 2, "container image", container.getImage());
        ContainerState state = container.getState();
        if (state != null && state.getRunning() != null) {
            line(text, 2, "container state", "running");
            line(text, 2, "container started at", state.getRunning().getStartedAt());
        } else if (state != null && state.getTerminated() != null) {
            var terminated = state.getTerminated();
            line(text, 2, "container state", "terminated");
            line(text, 2, "container started at", terminated.getStartedAt());
            line(text, 2, "container finished at", terminated.getFinishedAt());
            line(text, 2, "exit code", terminated.getExitCode() == null ? null : terminated.getExitCode().toString());
            line(text, 2, "termination reason", terminated.getReason());
        } else if (state != null && state.getWaiting() != null) {
            line(text, 2, "container state", "waiting");
            line(text, 2, "pending reason", state.getWaiting().getReason());
        } else {
            line(text, 2, "container state", null);
        }
        return text.toString();
    }

    private static String executorSummary(List<Pod> executors) {
        Map<String, Long> byPhase = executors.stream().collect(Collectors.groupingBy(
                p -> p.getStatus() == null || p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase(),
                java.util.TreeMap::new, Collectors.counting()));
        return byPhase.isEmpty() ? "none" : byPhase.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static void line(StringBuilder text, int indent, String key, String value) {
        text.append('\n').append("\t".repeat(indent)).append(' ').append(key).append(": ")
                .append(value == null || value.isEmpty() ? "N/A" : value);
    }
}
