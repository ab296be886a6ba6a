package io.kspark.apps;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Optional;

/**
 * The part of a driver pod's status a user follows: the phase and each container's state. Two equal
 * values mean "nothing worth reporting changed".
 */
public record DriverState(String podName, String phase, List<ContainerSummary> containers) {

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
        return new DriverState(pod.getMetadata().getName(), phase, containers);
    }

    public boolean isFinished() {
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** One status line, e.g. {@code spark-pi-...-driver: Running; spark-kubernetes-driver running}. */
    public String line() {
        StringBuilder text = new StringBuilder(podName).append(": ").append(phase);
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
