package io.kspark.submit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.List;

/**
 * What a submission creates, in Spark's order: the driver pod first, then the objects it owns (the
 * steps' objects in step order, the driver ConfigMap last).
 */
public record DriverObjects(String namespace, String appId, Pod driverPod, List<HasMetadata> ownedObjects, ConfigMap confConfigMap) {

    public DriverObjects {
        ownedObjects = List.copyOf(ownedObjects);
    }

    public String driverPodName() {
        return driverPod.getMetadata().getName();
    }

    /** Spark's submission id, {@code <namespace>:<driver pod>}. */
    public String submissionId() {
        return namespace + ":" + driverPodName();
    }

    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>();
        all.add(driverPod);
        all.addAll(ownedObjects);
        return all;
    }
}
