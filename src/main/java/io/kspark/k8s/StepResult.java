package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one feature step contributes: the changed pod, the Spark properties the driver must
 * see, and the extra Kubernetes objects to create with the pod.
 */
public record StepResult(SparkPod pod, Map<String, String> sparkProperties, List<HasMetadata> resources) {

    public StepResult {
        sparkProperties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sparkProperties));
        resources = List.copyOf(resources);
    }

    public static StepResult of(SparkPod pod) {
        return new StepResult(pod, Map.of(), List.of());
    }

    public StepResult withProperties(Map<String, String> properties) {
        return new StepResult(pod, properties, resources);
    }

    public StepResult withResources(List<? extends HasMetadata> objects) {
        return new StepResult(pod, sparkProperties, List.copyOf(objects));
    }
}
