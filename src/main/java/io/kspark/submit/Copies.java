package io.kspark.submit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kspark.k8s.KubernetesJson;

/**
 * Deep copies of fabric8 objects, so shared objects are never mutated in place.
 *
 * <p>The kinds a submission builds are copied through their builders, which rebuild every nested object
 * and collection. A JSON round trip would do the same but makes Jackson build deserializers for the
 * kind's whole type graph (all of a pod spec's volume sources, probes, affinities…): about 0.3 s of a
 * one-shot command's start-up, paid before the first API request.
 */
final class Copies {

    private Copies() {
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T of(T resource) {
        HasMetadata copy;
        if (resource instanceof Pod pod) {
            copy = new PodBuilder(pod).build();
        } else if (resource instanceof ConfigMap configMap) {
            copy = new ConfigMapBuilder(configMap).build();
        } else if (resource instanceof Service service) {
            copy = new ServiceBuilder(service).build();
        } else if (resource instanceof Secret secret) {
            copy = new SecretBuilder(secret).build();
        } else if (resource instanceof PersistentVolumeClaim claim) {
            copy = new PersistentVolumeClaimBuilder(claim).build();
        } else {
            copy = KubernetesJson.SERIALIZATION.clone(resource);
        }
        return (T) copy;
    }
}
