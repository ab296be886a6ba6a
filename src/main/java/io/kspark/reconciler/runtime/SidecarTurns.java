package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.reconciler.plan.Planner;

import java.util.Map;
import java.util.Optional;

/**
 * What a sidecar does next with its driver pod. A cluster-mode driver pod runs one application, labelled at creation;
 * a client-mode driver pod (a notebook) runs none until Spark starts in it, then one application after another, each
 * labelled by the kspark allocator plugin when it takes the pod over.
 */
public final class SidecarTurns {

    /** The decision for the driver pod as it is now. */
    public sealed interface Next {
    }

    /** Reconcile this application. */
    public record Run(String appId) implements Next {
    }

    /** No (new) application in the pod yet: wait for the pod to change. */
    public record Wait() implements Next {
    }

    /** The pod is gone or has finished: the sidecar's work is done. */
    public record End(String why) implements Next {
    }

    private SidecarTurns() {
    }

    /**
     * @param pod       the driver pod, empty when it does not exist
     * @param finished  the application this sidecar reconciled to its end, if any
     */
    public static Next next(Optional<Pod> pod, Optional<String> finished) {
        if (pod.isEmpty()) {
            return new End("the driver pod is gone");
        }
        if (Planner.isFinished(pod.get())) {
            return new End("the driver pod has finished");
        }
        Map<String, String> labels = pod.get().getMetadata().getLabels();
        String appId = labels == null ? null : labels.get("spark-app-selector");
        if (appId == null || finished.filter(appId::equals).isPresent()) {
            return new Wait();
        }
        return new Run(appId);
    }
}
