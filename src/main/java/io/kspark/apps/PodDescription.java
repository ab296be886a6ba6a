package io.kspark.apps;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A readable multi-line description of a driver pod, in the shape of spark-submit --status. */
public final class PodDescription {

    private PodDescription() {
    }

    public static String describe(Pod pod, List<Pod> executors) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        var status = pod.getStatus();
        StringBuilder text = new StringBuilder();
        line(text, "pod name", meta.getName());
        line(text, "namespace", meta.getNamespace());
        line(text, "labels", meta.getLabels() == null ? null : meta.getLabels().entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue()).collect(Collectors.joining(", ")));
        line(text, "pod uid", meta.getUid());
        line(text, "creation time", meta.getCreationTimestamp());
        line(text, "service account name", spec == null ? null : spec.getServiceAccountName());
        line(text, "volumes", spec == null ? null : spec.getVolumes().stream().map(Volume::getName).collect(Collectors.joining(", ")));
        line(text, "node name", spec == null ? null : spec.getNodeName());
        line(text, "start time", status == null ? null : status.getStartTime());
        line(text, "phase", status == null ? null : status.getPhase());
        line(text, "executors", executorSummary(executors));
        if (status != null) {
            for (ContainerStatus container : status.getContainerStatuses()) {
                text.append("\n\t container name: ").append(container.getName());
                DriverState.ContainerSummary summary = DriverState.ContainerSummary.of(container);
                text.append("\n\t\t container state: ").append(summary.state());
                if (summary.exitCode() != null) {
                    text.append("\n\t\t exit code: ").append(summary.exitCode());
                }
                if (summary.reason() != null) {
                    text.append("\n\t\t reason: ").append(summary.reason());
                }
            }
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

    private static void line(StringBuilder text, String key, String value) {
        text.append("\n\t ").append(key).append(": ").append(value == null || value.isEmpty() ? "N/A" : value);
    }
}
