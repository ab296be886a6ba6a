package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * A pod under construction plus its Spark container, kept apart until the end (as Spark does) so
 * steps can change the container without searching the pod for it. Treat both as read-only values:
 * steps derive new ones through builders.
 */
public record SparkPod(Pod pod, Container container) {

    public static SparkPod initial() {
        return new SparkPod(
                new PodBuilder().withNewMetadata().endMetadata().withNewSpec().endSpec().build(),
                new ContainerBuilder().build());
    }

    public SparkPod withPod(Pod newPod) {
        return new SparkPod(newPod, container);
    }

    public SparkPod withContainer(Container newContainer) {
        return new SparkPod(pod, newContainer);
    }

    /** The pod with the Spark container appended after any containers the pod already has. */
    public Pod assembled() {
        return new PodBuilder(pod).editOrNewSpec().addToContainers(container).endSpec().build();
    }
}
