package io.kspark.reconciler.model;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Optional;

/** What the watch and poll sources report; folded into {@link ClusterState}. */
public sealed interface ClusterEvent {

    PodKind kind();

    /** A pod was added or changed (watch). */
    record Upserted(PodKind kind, Pod pod) implements ClusterEvent {
    }

    /** A pod is gone (watch). */
    record Deleted(PodKind kind, Pod pod) implements ClusterEvent {
    }

    /**
     * A full list of one kind in one scope (a namespace, or all when empty): the truth at
     * {@code resourceVersion}, replacing everything older in that scope.
     */
    record Listed(PodKind kind, Optional<String> namespace, List<Pod> pods, String resourceVersion) implements ClusterEvent {
        public Listed {
            pods = List.copyOf(pods);
        }
    }
}
