package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Spark sets both the deprecated {@code serviceAccount} and {@code serviceAccountName}. */
final class ServiceAccounts {

    private ServiceAccounts() {
    }

    static Pod withServiceAccount(Pod pod, String account) {
        return new PodBuilder(pod).editOrNewSpec()
                .withServiceAccount(account)
                .withServiceAccountName(account)
                .endSpec().build();
    }
}
