package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.Names;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Env vars read from Secrets: {@code spark.kubernetes.<role>.secretKeyRef.<ENV>=<secret>:<key>}. */
public final class EnvSecretsStep implements FeatureStep {

    private static final Pattern SECRET_DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    private final List<EnvVar> envVars = new ArrayList<>();

    public EnvSecretsStep(PodConf conf) {
        for (Map.Entry<String, String> e : conf.secretEnvNamesToKeyRefs().entrySet()) {
            String key = conf.role().secretKeyRefPrefix() + e.getKey();
            String[] parts = e.getValue().split(":");
            if (parts.length != 2) {
                throw UserInputException.forKey(key, "must be <secret name>:<key>, but was '" + e.getValue() + "'");
            }
            // What the API server would refuse in the pod, said before anything is created.
            if (!Names.isEnvVarName(e.getKey())) {
                throw UserInputException.forKey(key, "'" + e.getKey() + "' is not a valid environment variable name");
            }
            if (!KubernetesKeys.isDnsSubdomain(parts[0])) {
                throw UserInputException.forKey(key, "'" + parts[0] + "' is not a Secret name (lower-case DNS subdomain)");
            }
            if (!SECRET_DATA_KEY.matcher(parts[1]).matches()) {
                throw UserInputException.forKey(key, "'" + parts[1] + "' is not a Secret key (letters, digits, '-', '_', '.')");
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
