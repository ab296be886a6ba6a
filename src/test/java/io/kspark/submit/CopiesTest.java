package io.kspark.submit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class CopiesTest {

    private static Pod pod() {
        return new PodBuilder()
                .withNewMetadata().withName("spark-pi-driver").withNamespace("ns").addToLabels("spark-role", "driver")
                    .addToAnnotations("a", "1").endMetadata()
                .withNewSpec()
                    .addNewContainer().withName("spark-kubernetes-driver").withImage("apache/spark:4.1.1")
                        .addNewEnv().withName("SPARK_USER").withValue("root").endEnv()
                        .addNewEnv().withName("SECRET").withNewValueFrom().withNewSecretKeyRef("key", "creds", false).endValueFrom().endEnv()
                        .withNewResources().addToLimits("memory", new Quantity("1408Mi")).addToRequests("cpu", new Quantity("1")).endResources()
                        .addNewVolumeMount().withName("spark-conf-volume-driver").withMountPath("/opt/spark/conf").endVolumeMount()
                    .endContainer()
                    .addNewInitContainer().withName("kspark").withImage("kspark:1").addNewEnv().withName("T").withValue("t").endEnv().endInitContainer()
                    .addNewVolume().withName("spark-conf-volume-driver").withNewConfigMap().withName("cm").addNewItem("spark.properties", 420, "spark.properties").endConfigMap().endVolume()
                    .addToNodeSelector("disk", "ssd")
                .endSpec()
                .build();
    }

    @Test
    void aPodCopyIsEqualAndSharesNothingThatCodeMutates() {
        Pod original = pod();
        Pod copy = Copies.of(original);

        assertEquals(original, copy);
        copy.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withName("owner").build()));
        copy.getMetadata().getLabels().put("spark-role", "executor");
        copy.getMetadata().setNamespace("other");
        copy.getSpec().getContainers().get(0).getEnv().get(0).setValue("changed");
        copy.getSpec().getContainers().get(0).getEnv().add(new EnvVarBuilder().withName("NEW").build());
        copy.getSpec().getInitContainers().get(0).getEnv().clear();
        copy.getSpec().getVolumes().get(0).getConfigMap().setName("other-cm");
        copy.getSpec().getNodeSelector().clear();

        assertEquals(pod(), original);
    }

    @Test
    void everyKindASubmissionBuildsCopiesToAnEqualObject() {
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                .addToData("spark.properties", "spark.app.name=pi\n").build();
        Service service = new ServiceBuilder().withNewMetadata().withName("svc").endMetadata()
                .withNewSpec().withClusterIP("None").addToSelector("spark-role", "driver")
                    .addNewPort().withName("driver-rpc-port").withPort(7078).withNewTargetPort(7078).endPort().endSpec().build();
        Secret secret = new SecretBuilder().withNewMetadata().withName("s").endMetadata().addToData("k", "dg==").build();
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName("pvc").endMetadata()
                .withNewSpec().withStorageClassName("gp2").withAccessModes("ReadWriteOncePod")
                    .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build();
        // A kind without a builder case still copies (through JSON).
        ServiceAccount account = new ServiceAccountBuilder().withNewMetadata().withName("sa").endMetadata().build();

        for (HasMetadata original : List.<HasMetadata>of(configMap, service, secret, claim, account)) {
            HasMetadata copy = Copies.of(original);
            assertEquals(original, copy, original.getKind());
            assertNotSame(original.getMetadata(), copy.getMetadata(), original.getKind());
        }
        ConfigMap copied = Copies.of(configMap);
        copied.getData().put("spark.properties", "changed");
        assertEquals(Map.of("spark.properties", "spark.app.name=pi\n"), configMap.getData());
    }
}
