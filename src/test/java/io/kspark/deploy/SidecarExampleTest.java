package io.kspark.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kspark.cli.KsparkSubmissionCustomizer;
import io.kspark.conf.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kspark.deploy.KubernetesManifestsTest.env;
import static io.kspark.deploy.KubernetesManifestsTest.fieldRefs;
import static io.kspark.deploy.Manifests.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** k8s/examples/driver-with-sidecar.yaml: a driver pod with kspark as a native sidecar. */
class SidecarExampleTest {

    static final String EXAMPLE = "k8s/examples/driver-with-sidecar.yaml";

    final List<HasMetadata> objects = Manifests.parseFile(EXAMPLE);

    @Test
    void isOneDriverPodWithTheKsparkNativeSidecar() {
        assertThat(objects).singleElement().isInstanceOf(Pod.class);
        Pod pod = (Pod) objects.get(0);
        assertThat(pod.getMetadata().getLabels())
                .contains(entry("spark-role", "driver"), entry("kspark.io/reconciler", "sidecar"))
                .containsKey("spark-app-selector");
        assertThat(pod.getMetadata().getAnnotations()).containsKey("kspark.io/executor-target");

        assertThat(pod.getSpec().getInitContainers()).singleElement().satisfies(sidecar -> {
            assertThat(sidecar.getName()).isEqualTo("kspark-sidecar");
            assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
            assertThat(sidecar.getArgs()).containsExactly("sidecar");
            assertThat(sidecar.getImage()).startsWith("ghcr.io/kspark/kspark:");
            assertThat(fieldRefs(sidecar)).containsEntry("POD_NAME", "metadata.name").containsEntry("POD_NAMESPACE", "metadata.namespace");
            String port = env(sidecar).get("QUARKUS_HTTP_PORT");
            assertThat(port).isEqualTo("8090");
            assertThat(sidecar.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(Integer.parseInt(port)));
            assertThat(sidecar.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(sidecar.getLivenessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString(Integer.parseInt(port)));
            assertThat(sidecar.getSecurityContext()).as("the security context kspark submit gives its sidecar")
                    .isEqualTo(KsparkSubmissionCustomizer.sidecar(SparkConf.of(Map.of("spark.kspark.image", "k"))).getSecurityContext());
        });

        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("spark-kubernetes-driver");
        Container driver = pod.getSpec().getContainers().get(0);
        assertThat(driver.getArgs()).first().isEqualTo("driver");
        assertThat(driver.getPorts()).noneMatch(p -> p.getContainerPort() == 8090);
    }

    @Test
    void runsAsTheServiceAccountFromSparkDriverRbac() {
        Pod pod = (Pod) objects.get(0);
        ServiceAccount account = ofType(Manifests.render(KubernetesManifestsTest.SPARK_DRIVER_RBAC), ServiceAccount.class).get(0);
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(pod.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    }
}
