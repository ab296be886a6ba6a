package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Env vars read from Secrets: {@code spark.kubernetes.<role>.secretKeyRef.<ENV>=<secret>:<key>}. */
public final class EnvSecretsStep implements FeatureStep {

    private final List<EnvVar> envVars = new ArrayList<>();

    public EnvSecretsStep(PodConf conf) {
        for (Map.Entry<String, String> e : conf.secretEnvNamesToKeyRefs().entrySet()) {
            String[] parts = e.getValue().split(":");
            if (parts.length != 2) {
                throw UserInputException.forKey(conf.role().secretKeyRefPrefix() + e.getKey(),
                        "must be <secret name>:<key>, but was '" + e.getValue() + "'");
            }
            envVars.add(new EnvVarBuilder().withName(e.getKey())
                    .withNewValueFrom().withNewSecretKeyRef().withKey(parts[1]).withName(parts[0]).endSecretKeyRef().endValueFrom()
                    .build());
        }
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.EnvSecretsFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        return StepResult.of(pod.withContainer(new ContainerBuilder(pod.container()).addAllToEnv(envVars).build()));
    }
}
