package io.kspark.submit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kspark.k8s.KubernetesJson;

/** Deep copies of fabric8 objects, so shared objects are never mutated in place. */
final class Copies {

    private static final KubernetesSerialization SERIALIZATION = KubernetesJson.SERIALIZATION;

    private Copies() {
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T of(T resource) {
        return (T) SERIALIZATION.clone(resource);
    }
}
