package io.kspark.k8s;

import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One executor's view of its application (Spark's {@code KubernetesExecutorConf}) and of its resource profile. */
public record ExecutorConf(ExecutorContext context, String executorId, ExecutorProfile profile) implements PodConf {

    @Override
    public SparkConf conf() {
        return context.conf();
    }

    @Override
    public PodRole role() {
        return PodRole.EXECUTOR;
    }

    @Override
    public String appId() {
        return context.appId();
    }

    @Override
    public String resourceNamePrefix() {
        return context.executorPodNamePrefix();
    }

    @Override
    public String executorIdForSubstitution() {
        return executorId;
    }

    public int resourceProfileId() {
        return profile.id();
    }

    public boolean isDefaultProfile() {
        return profile.isDefault();
    }

    public Map<String, String> labels() {
        Map<String, String> custom = new LinkedHashMap<>();
        conf().withPrefix(role().labelPrefix()).forEach((k, v) -> custom.put(k, substituteIds(v)));
        Map<String, String> preset = new LinkedHashMap<>();
        preset.put("spark-version", SparkVersion.TARGET);
        preset.put("spark-exec-id", executorId);
        preset.put("spark-app-selector", appId());
        preset.put("spark-app-name", Names.appNameLabel(appName()));
        preset.put("spark-role", "executor");
        preset.put("spark-exec-resourceprofile-id", Integer.toString(resourceProfileId()));
        for (String key : custom.keySet()) {
            if (preset.containsKey(key)) {
                throw UserInputException.forKey(role().labelPrefix() + key, "label '" + key + "' is reserved for Spark");
            }
        }
        Names.checkLabels(role().labelPrefix(), custom);
        Map<String, String> labels = new LinkedHashMap<>(custom);
        labels.putAll(preset);
        return labels;
    }

    /** {@code spark.executorEnv.*}, minus names Spark refuses. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        conf().withPrefix(CoreKeys.EXECUTOR_ENV_PREFIX).forEach((k, v) -> {
            if (Names.isEnvVarName(k)) {
                env.put(k, v);
            }
        });
        return env;
    }

    public Optional<String> schedulerName() {
        return conf().getOptional(KubernetesKeys.EXECUTOR_SCHEDULER_NAME).or(() -> conf().getOptional(KubernetesKeys.SCHEDULER_NAME));
    }

    public String image() {
        return containerImage(KubernetesKeys.EXECUTOR_CONTAINER_IMAGE);
    }
}
