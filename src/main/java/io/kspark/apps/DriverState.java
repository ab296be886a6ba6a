package io.kspark.apps;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Optional;

/**
 * The part of a driver pod's status a user follows: the phase, why the pod is in it when Kubernetes says (an evicted
 * pod fails without any container saying so) and each container's state. Two equal values mean "nothing worth
 * reporting changed".
 *
 * @param reason  the pod's {@code status.reason} (e.g. Evicted), or null
 * @param message the first line of its {@code status.message}, or null
 */
public record DriverState(String podName, String phase, String reason, String message, List<ContainerSummary> containers) {

    /** One container: running / waiting (reason) / terminated (exit code, reason). */
    public record ContainerSummary(String name, String state, String reason, Integer exitCode, String message) {

        static ContainerSummary of(ContainerStatus status) {
            ContainerState s = status.getState();
            if (s == null) {
                return new ContainerSummary(status.getName(), "unknown", null, null, null);
            }
            if (s.getTerminated() != null) {
                return new ContainerSummary(status.getName(), "terminated", s.getTerminated().getReason(),
                        s.getTerminated().getExitCode(), s.getTerminated().getMessage());
            }
            if (s.getRunning() != null) {
                return new ContainerSummary(status.getName(), "running", null, null, null);
            }
            if (s.getWaiting() != null) {
                return new ContainerSummary(status.getName(), "waiting", s.getWaiting().getReason(), null, s.getWaiting().getMessage());
            }
            return new ContainerSummary(status.getName(), "unknown", null, null, null);
        }

        String describe() {
            StringBuilder text = new StringBuilder(name).append(' ').append(state);
            if (exitCode != null) {
                text.append(" (exit code ").append(exitCode).append(reason == null ? "" : ", " + reason).append(')');
            } else if (reason != null) {
                text.append(" (").append(reason).append(')');
            }
            return text.toString();
        }
    }

    public static DriverState of(Pod pod) {
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Unknown" : pod.getStatus().getPhase();
        List<ContainerSummary> containers = pod.getStatus() == null ? List.of()
                : pod.getStatus().getContainerStatuses().stream().map(ContainerSummary::of).toList();
        String reason = pod.getStatus() == null ? null : pod.getStatus().getReason();
        String message = pod.getStatus() == null ? null : firstLine(pod.getStatus().getMessage());
        return new DriverState(pod.getMetadata().getName(), phase, reason, message, containers);
    }

    /** The first line of a status message, stripped; null when there is none. */
    public static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

    /** The pod's own reason, e.g. {@code Evicted: The node was low on resource: memory.}; empty when it gives none. */
    public Optional<String> podReason() {
        return Optional.ofNullable(reason).map(r -> message == null ? r : r + ": " + message);
    }

    public boolean isFinished() {
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** One status line, e.g. {@code spark-pi-...-driver: Running; spark-kubernetes-driver running}. */
    public String line() {
        StringBuilder text = new StringBuilder(podName).append(": ").append(phase);
        podReason().ifPresent(r -> text.append(" (").append(r).append(')'));
        if (!containers.isEmpty()) {
            text.append("; ").append(String.join(", ", containers.stream().map(ContainerSummary::describe).toList()));
        }
        return text.toString();
    }

    /** The Spark container's termination, for the final message of a failed app. */
    public Optional<ContainerSummary> sparkContainerTermination() {
        return containers.stream()
                .filter(c -> c.exitCode() != null)
                .filter(c -> c.name().equals("spark-kubernetes-driver") || containers.size() == 1)
                .findFirst()
                .or(() -> containers.stream().filter(c -> c.exitCode() != null).findFirst());
    }
}
