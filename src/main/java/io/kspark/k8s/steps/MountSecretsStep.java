package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kspark.conf.SparkIterationOrder;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.Names;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;
import io.kspark.conf.UserInputException;

import java.util.List;
import java.util.Map;

/** Mounts the Secrets named by {@code spark.kubernetes.<role>.secrets.<name>=<path>}. */
public final class MountSecretsStep implements FeatureStep {

    private final Map<String, String> secretsToPaths;

    public MountSecretsStep(PodConf conf) {
        this.secretsToPaths = conf.secretNamesToMountPaths();
        secretsToPaths.keySet().forEach(name -> {
            if (!Names.isDnsLabel(name + "-volume")) {
                throw UserInputException.forKey(conf.role().secretsPrefix() + name, "'" + name
                        + "' cannot be mounted: Secret names used here must be lower-case DNS labels of at most 56 characters"
                        + " (the volume is named <secret>-volume)");
            }
        });
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.MountSecretsFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        // Spark maps the secret names (a Scala Set) into a Set of fabric8 Volumes, so beyond four secrets their order
        // is that of the Volumes' hash codes.
        List<Volume> volumes = SparkIterationOrder.scalaSetOrder(secretsToPaths.keySet().stream()
                .map(name -> new VolumeBuilder().withName(name + "-volume").withNewSecret().withSecretName(name).endSecret().build())
                .toList(), Volume::hashCode);
        List<VolumeMount> mounts = secretsToPaths.entrySet().stream()
                .map(e -> new VolumeMountBuilder().withName(e.getKey() + "-volume").withMountPath(e.getValue()).build())
                .toList();
        return StepResult.of(new SparkPod(
                new PodBuilder(pod.pod()).editOrNewSpec().addAllToVolumes(volumes).endSpec().build(),
                new ContainerBuilder(pod.container()).addAllToVolumeMounts(mounts).build()));
    }
}
