package io.kspark.apps;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** spark-submit --status's text (Spark 4.1.1 KubernetesUtils.formatPodState), then kspark's executors line. */
class PodDescriptionTest {

    @Test
    void aDriverIsDescribedAsSparkDescribesItWithEachContainerTwoTabsIn() {
        Pod driver = new PodBuilder().withNewMetadata().withName("pi-1-driver").withNamespace("jobs").withUid("u-1")
                .withCreationTimestamp("2024-01-01T00:00:00Z").addToLabels("spark-role", "driver").endMetadata()
                .withNewSpec().withServiceAccountName("spark").addNewVolume().withName("spark-local-dir-1").endVolume()
                .addNewVolume().withName("spark-conf-volume-driver").endVolume().endSpec()
                .withNewStatus().withPhase("Failed").withStartTime("2024-01-01T00:00:05Z")
                .addToContainerStatuses(new ContainerStatusBuilder().withName("spark-kubernetes-driver").withImage("img")
                        .withNewState().withNewTerminated().withStartedAt("2024-01-01T00:00:06Z").withFinishedAt("2024-01-01T00:01:00Z")
                        .withExitCode(1).withReason("Error").endTerminated().endState().build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("side").withImage("busybox")
                        .withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState().build())
                .endStatus().build();

        assertThat(PodDescription.describe(driver, List.of())).isEqualTo(String.join("\n",
                "",
                "\t pod name: pi-1-driver",
                "\t namespace: jobs",
                "\t labels: spark-role -> driver",
                "\t pod uid: u-1",
                "\t creation time: 2024-01-01T00:00:00Z",
                "\t service account name: spark",
                "\t volumes: spark-local-dir-1, spark-conf-volume-driver",
                "\t node name: N/A",
                "\t start time: 2024-01-01T00:00:05Z",
                "\t phase: Failed",
                "\t container status: ",
                "\t\t container name: spark-kubernetes-driver",
                "\t\t container image: img",
                "\t\t container state: terminated",
                "\t\t container started at: 2024-01-01T00:00:06Z",
                "\t\t container finished at: 2024-01-01T00:01:00Z",
                "\t\t exit code: 1",
                "\t\t termination reason: Error",
                "",
                "",
                "\t\t container name: side",
                "\t\t container image: busybox",
                "\t\t container state: waiting",
                "\t\t pending reason: ImagePullBackOff",
                "\t executors: none"));
    }

    @Test
    void aPodWithoutContainerStatusesSaysNotAvailable() {
        Pod pending = new PodBuilder().withNewMetadata().withName("pi-2-driver").endMetadata().withNewStatus().withPhase("Pending").endStatus().build();
        assertThat(PodDescription.describe(pending, List.of())).contains("\n\t phase: Pending\n\t container status: N/A\n\t executors: none");
    }
}
