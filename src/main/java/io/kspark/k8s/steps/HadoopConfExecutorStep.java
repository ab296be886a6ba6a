package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.Optional;

/** Mounts the Hadoop ConfigMap the driver recorded in {@code spark.kubernetes.executor.hadoopConfigMapName}. */
public final class HadoopConfExecutorStep implements FeatureStep {

    private final Optional<String> configMapName;

    public HadoopConfExecutorStep(PodConf conf) {
        this.configMapName = conf.conf().getOption(KubernetesKeys.EXECUTOR_HADOOP_CONFIG_MAP);
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.HadoopConfExecutorFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        if (configMapName.isEmpty()) {
            return StepResult.of(pod);
        }
        return StepResult.of(new SparkPod(
                new PodBuilder(pod.pod()).editSpec()
                        .addNewVolume().withName(HadoopConfDriverStep.VOLUME)
                        .withNewConfigMap().withName(configMapName.get()).endConfigMap().endVolume()
                        .endSpec().build(),
                new ContainerBuilder(pod.container())
                        .addNewVolumeMount().withName(HadoopConfDriverStep.VOLUME).withMountPath(HadoopConfDriverStep.MOUNT_PATH).endVolumeMount()
                        .addNewEnv().withName("HADOOP_CONF_DIR").withValue(HadoopConfDriverStep.MOUNT_PATH).endEnv()
                        .build()));
    }
}
