package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Scratch space: emptyDir volumes (in memory with {@code spark.kubernetes.local.dirs.tmpfs}) for
 * {@code SPARK_LOCAL_DIRS}, {@code spark.local.dir} or a generated {@code /var/data/spark-<uuid>},
 * unless the pod (template) already mounts {@code spark-local-dir-*} volumes.
 */
public final class LocalDirsStep implements FeatureStep {

    private final boolean tmpfs;
    private final List<String> configuredDirs;

    /**
     * @param envLocalDirs {@code SPARK_LOCAL_DIRS} as seen where Spark would build this pod
     * @param defaultDir   the generated directory used when nothing is configured
     */
    public LocalDirsStep(PodConf conf, Optional<String> envLocalDirs, String defaultDir) {
        this.tmpfs = conf.conf().get(KubernetesKeys.LOCAL_DIRS_TMPFS);
        String dirs = envLocalDirs.or(() -> conf.conf().getOption("spark.local.dir")).orElse(defaultDir);
        this.configuredDirs = Arrays.asList(dirs.split(","));
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.LocalDirsFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        List<String> existing = pod.container().getVolumeMounts().stream()
                .filter(m -> m.getName().startsWith("spark-local-dir-"))
                .map(VolumeMount::getMountPath)
                .toList();
        List<String> localDirs = existing;
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        if (existing.isEmpty()) {
            localDirs = configuredDirs;
            for (int i = 0; i < configuredDirs.size(); i++) {
                String name = "spark-local-dir-" + (i + 1);
                volumes.add(new VolumeBuilder().withName(name)
                        .withNewEmptyDir().withMedium(tmpfs ? "Memory" : null).endEmptyDir()
                        .build());
                mounts.add(new VolumeMountBuilder().withName(name).withMountPath(configuredDirs.get(i)).build());
            }
        }
        return StepResult.of(new SparkPod(
                new PodBuilder(pod.pod()).editSpec().addAllToVolumes(volumes).endSpec().build(),
                new ContainerBuilder(pod.container())
                        .addNewEnv().withName("SPARK_LOCAL_DIRS").withValue(String.join(",", localDirs)).endEnv()
                        .addAllToVolumeMounts(mounts)
                        .build()));
    }
}
