package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.PodConf;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;
import io.kspark.k8s.VolumeSpec;
import io.kspark.k8s.VolumeSpec.EmptyDir;
import io.kspark.k8s.VolumeSpec.HostPath;
import io.kspark.k8s.VolumeSpec.Nfs;
import io.kspark.k8s.VolumeSpec.Pvc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mounts the user's volumes. A claim named {@code OnDemand} becomes
 * {@code <prefix>-driver-pvc-<n>} or {@code <prefix>-exec-<id>-pvc-<n>}, and is created with the pod
 * when a storage class and size are given.
 */
public final class MountVolumesStep implements FeatureStep {

    static final String ON_DEMAND = "OnDemand";

    private final PodConf conf;
    private final List<VolumeSpec> specs;
    private final String claimBase;
    private final Optional<String> executorId;
    private final String accessMode;

    private MountVolumesStep(PodConf conf, String claimBase, Optional<String> executorId) {
        this.conf = conf;
        this.specs = conf.volumes();
        this.claimBase = claimBase;
        this.executorId = executorId;
        this.accessMode = conf.conf().get(KubernetesKeys.LEGACY_PVC_ACCESS_MODE) ? "ReadWriteOnce" : "ReadWriteOncePod";
    }

    public static MountVolumesStep forDriver(PodConf conf) {
        return new MountVolumesStep(conf, conf.resourceNamePrefix() + "-driver", Optional.empty());
    }

    public static MountVolumesStep forExecutor(PodConf conf, String executorId) {
        return new MountVolumesStep(conf, conf.resourceNamePrefix() + "-exec-" + executorId, Optional.of(executorId));
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.MountVolumesFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        List<VolumeMount> mounts = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        List<HasMetadata> claims = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            VolumeSpec spec = specs.get(i);
            mounts.add(new VolumeMountBuilder()
                    .withMountPath(spec.mountPath())
                    .withReadOnly(spec.mountReadOnly())
                    .withSubPath(spec.mountSubPath())
                    .withSubPathExpr(spec.mountSubPathExpr())
                    .withName(spec.name())
                    .build());
            VolumeBuilder volume = new VolumeBuilder();
            if (spec.source() instanceof HostPath hostPath) {
                volume.withHostPath(new HostPathVolumeSource(hostPath.path(), hostPath.type()));
            } else if (spec.source() instanceof Pvc pvc) {
                String claimName = claimName(pvc.claimName(), i);
                if (pvc.createsClaim()) {
                    claims.add(claim(claimName, pvc));
                }
                volume.withPersistentVolumeClaim(new PersistentVolumeClaimVolumeSource(claimName, spec.mountReadOnly()));
            } else if (spec.source() instanceof EmptyDir emptyDir) {
                volume.withEmptyDir(new EmptyDirVolumeSource(emptyDir.medium() == null ? "" : emptyDir.medium(),
                        emptyDir.sizeLimit() == null ? null : new Quantity(emptyDir.sizeLimit())));
            } else if (spec.source() instanceof Nfs nfs) {
                volume.withNfs(new NFSVolumeSource(nfs.path(), null, nfs.server()));
            }
            volumes.add(volume.withName(spec.name()).build());
        }
        return StepResult.of(new SparkPod(
                        new PodBuilder(pod.pod()).editSpec().addAllToVolumes(volumes).endSpec().build(),
                        new ContainerBuilder(pod.container()).addAllToVolumeMounts(mounts).build()))
                .withResources(claims);
    }

    private String claimName(String template, int index) {
        String name = template.replace(ON_DEMAND, claimBase + "-pvc-" + index);
        return executorId.map(id -> name.replace("SPARK_EXECUTOR_ID", id)).orElse(name);
    }

    private HasMetadata claim(String name, Pvc pvc) {
        Map<String, String> labels = new LinkedHashMap<>(pvc.labels());
        labels.put("spark-app-selector", conf.appId());
        return new PersistentVolumeClaimBuilder()
                .withKind("PersistentVolumeClaim")
                .withApiVersion("v1")
                .withNewMetadata()
                    .withName(name)
                    .addToLabels(labels)
                    .addToAnnotations(pvc.annotations())
                .endMetadata()
                .withNewSpec()
                    .withStorageClassName(pvc.storageClass())
                    .withAccessModes(accessMode)
                    .withNewResources().withRequests(Map.of("storage", new Quantity(pvc.size()))).endResources()
                .endSpec()
                .build();
    }
}
