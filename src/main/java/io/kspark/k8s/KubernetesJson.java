package io.kspark.k8s;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The one fabric8 serializer kspark uses, for copies, templates, output and its API clients: each
 * instance builds its own Jackson mapper and type registry, which is most of a one-shot command's
 * serialisation cost.
 */
public final class KubernetesJson {

    public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesJson() {
    }
}
