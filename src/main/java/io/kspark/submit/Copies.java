package io.kspark.submit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Deep copies of fabric8 objects, so shared objects are never mutated in place. */
final class Copies {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Copies() {
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T of(T resource) {
        return (T) SERIALIZATION.clone(resource);
    }
}
