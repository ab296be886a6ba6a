package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;

/** An executor pod with the Spark container attached, and the claims to create with it. */
public record ExecutorSpec(Pod pod, List<HasMetadata> resources) {

    public ExecutorSpec {
        resources = List.copyOf(resources);
    }
}
