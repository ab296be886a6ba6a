package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The folded result of the driver steps: the pod, the objects to create with it and the Spark
 * properties (the conf plus every step's additions) that go into spark.properties.
 */
public record DriverSpec(SparkPod pod, List<HasMetadata> resources, Map<String, String> sparkProperties) {

    public DriverSpec {
        resources = List.copyOf(resources);
        sparkProperties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sparkProperties));
    }

    public DriverSpec plus(StepResult step) {
        List<HasMetadata> allResources = new java.util.ArrayList<>(resources);
        allResources.addAll(step.resources());
        Map<String, String> properties = new LinkedHashMap<>(sparkProperties);
        properties.putAll(step.sparkProperties());
        return new DriverSpec(step.pod(), allResources, properties);
    }
}
