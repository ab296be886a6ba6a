package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hadoop configuration for the driver: the submitter's {@code HADOOP_CONF_DIR} shipped as a new
 * ConfigMap, or an existing one named by {@code spark.kubernetes.hadoop.configMapName}.
 */
public final class HadoopConfDriverStep implements FeatureStep {

    static final String VOLUME = "hadoop-properties";
    static final String MOUNT_PATH = "/opt/hadoop/conf";

    private final Optional<String> existingConfigMap;
    private final Map<String, String> localFiles;
    private final String newConfigMapName;

    public HadoopConfDriverStep(DriverConf conf) {
        Optional<String> confDir = conf.env().getenv("HADOOP_CONF_DIR");
        this.existingConfigMap = conf.conf().getOptional(KubernetesKeys.HADOOP_CONFIG_MAP);
        if (confDir.isPresent() && existingConfigMap.isPresent()) {
            throw UserInputException.forKey(KubernetesKeys.HADOOP_CONFIG_MAP.key(),
                    "cannot be used while HADOOP_CONF_DIR is set in the environment; unset one of them");
        }
        this.newConfigMapName = conf.resourceNamePrefix() + "-hadoop-config";
        this.localFiles = new LinkedHashMap<>();
        confDir.ifPresent(dir -> {
            for (Path file : conf.env().listFiles(dir)) {
                localFiles.put(file.getFileName().toString(), conf.env().readText(file.toString()));
            }
        });
        this.hasLocalDir = confDir.isPresent();
    }

    private final boolean hasLocalDir;

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.HadoopConfDriverFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        if (!hasLocalDir && existingConfigMap.isEmpty()) {
            return StepResult.of(pod);
        }
        Volume volume = hasLocalDir
                ? new VolumeBuilder().withName(VOLUME).withNewConfigMap().withName(newConfigMapName)
                    .withItems(localFiles.keySet().stream().map(name -> new KeyToPath(name, null, name)).toList())
                    .endConfigMap().build()
                : new VolumeBuilder().withName(VOLUME).withNewConfigMap().withName(existingConfigMap.get()).endConfigMap().build();
        SparkPod configured = new SparkPod(
                new PodBuilder(pod.pod()).editSpec().addToVolumes(volume).endSpec().build(),
                new ContainerBuilder(pod.container())
                        .addNewVolumeMount().withName(VOLUME).withMountPath(MOUNT_PATH).endVolumeMount()
                        .addNewEnv().withName("HADOOP_CONF_DIR").withValue(MOUNT_PATH).endEnv()
                        .build());
        StepResult result = StepResult.of(configured)
                .withProperties(Map.of(KubernetesKeys.EXECUTOR_HADOOP_CONFIG_MAP, existingConfigMap.orElse(newConfigMapName)));
        if (hasLocalDir) {
            result = result.withResources(List.of(new ConfigMapBuilder()
                    .withNewMetadata().withName(newConfigMapName).endMetadata()
                    .withImmutable(true)
                    .addToData(localFiles)
                    .build()));
        }
        return result;
    }
}
