package io.kspark.reconciler.api;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Why a pod is still pending, in one line: scheduling, image pulls and volumes first, then its latest Warning event. */
final class PendingReasons {

    private PendingReasons() {
    }

    static Optional<String> of(Pod pod, List<Event> events) {
        if (pod.getStatus() != null) {
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                    return Optional.of(join(condition.getReason(), condition.getMessage()));
                }
            }
            for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                if (status.getState() != null && status.getState().getWaiting() != null) {
                    var waiting = status.getState().getWaiting();
                    return Optional.of(join(waiting.getReason(), waiting.getMessage()));
                }
            }
        }
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null && pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                .filter(e -> "Warning".equals(e.getType()))
                .max(Comparator.comparing(e -> Optional.ofNullable(e.getLastTimestamp()).orElse("")))
                .map(e -> join(e.getReason(), e.getMessage()));
    }

    private static String join(String reason, String message) {
        if (reason == null) {
            return message == null ? "unknown" : message;
        }
        return message == null || message.isBlank() ? reason : reason + ": " + message;
    }
}
