package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;
import io.kspark.k8s.PodConf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ships the executor pod template to the driver in a ConfigMap and points
 * {@code spark.kubernetes.executor.podTemplateFile} at the mounted copy.
 */
public final class PodTemplateConfigMapStep implements FeatureStep {

    public static final String MOUNT_DIR = "/opt/spark/pod-template";
    public static final String FILE_NAME = "pod-spec-template.yml";
    public static final String KEY = "podspec-configmap-key";
    static final String VOLUME = "pod-template-volume";

    private final Optional<String> templateText;
    private final String configMapName;

    /** @param templateText the executor template's content, when one is configured */
    public PodTemplateConfigMapStep(PodConf conf, Optional<String> templateText) {
        this.templateText = templateText;
        this.configMapName = configMapName(conf.resourceNamePrefix());
    }

    public static String configMapName(String resourceNamePrefix) {
        return resourceNamePrefix + "-driver-podspec-conf-map";
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.PodTemplateConfigMapStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        if (templateText.isEmpty()) {
            return StepResult.of(pod);
        }
        SparkPod withVolume = new SparkPod(
                new PodBuilder(pod.pod()).editSpec()
                        .addNewVolume().withName(VOLUME).withNewConfigMap().withName(configMapName)
                        .addNewItem().withKey(KEY).withPath(FILE_NAME).endItem()
                        .endConfigMap().endVolume()
                        .endSpec().build(),
                new ContainerBuilder(pod.container())
                        .addNewVolumeMount().withName(VOLUME).withMountPath(MOUNT_DIR).endVolumeMount()
                        .build());
        return StepResult.of(withVolume)
                .withProperties(Map.of(KubernetesKeys.EXECUTOR_POD_TEMPLATE_FILE.key(), MOUNT_DIR + "/" + FILE_NAME))
                .withResources(List.of(new ConfigMapBuilder()
                        .withNewMetadata().withName(configMapName).endMetadata()
                        .withImmutable(true)
                        .addToData(KEY, templateText.get())
                        .build()));
    }
}
