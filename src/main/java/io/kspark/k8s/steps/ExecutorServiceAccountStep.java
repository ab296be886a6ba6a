package io.kspark.k8s.steps;

import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.Optional;

/** Executors run as the executor service account, else the driver's, unless a template chose one. */
public final class ExecutorServiceAccountStep implements FeatureStep {

    private final Optional<String> account;

    public ExecutorServiceAccountStep(PodConf conf) {
        this.account = conf.conf().getOptional(KubernetesKeys.EXECUTOR_SERVICE_ACCOUNT)
                .or(() -> conf.conf().getOptional(KubernetesKeys.DRIVER_SERVICE_ACCOUNT));
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.ExecutorKubernetesCredentialsFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        if (pod.pod().getSpec().getServiceAccount() != null || account.isEmpty()) {
            return StepResult.of(pod);
        }
        return StepResult.of(pod.withPod(ServiceAccounts.withServiceAccount(pod.pod(), account.get())));
    }
}
