package io.kspark.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerLaunchTest {

    static final Path POD_DIR = Path.of("/tmp/pods/app-exec-3");

    static Pod executor(String... args) {
        return new PodBuilder().withNewMetadata().withName("app-exec-3").withNamespace("e2e").endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-executor").withArgs(args)
                    .addNewEnv().withName("SPARK_DRIVER_URL").withValue("spark://CoarseGrainedScheduler@127.0.0.1:40000").endEnv()
                    .addNewEnv().withName("SPARK_EXECUTOR_CORES").withValue("1").endEnv()
                    .addNewEnv().withName("SPARK_EXECUTOR_MEMORY").withValue("512m").endEnv()
                    .addNewEnv().withName("SPARK_APPLICATION_ID").withValue("spark-a").endEnv()
                    .addNewEnv().withName("SPARK_CONF_DIR").withValue("/opt/spark/conf").endEnv()
                    .addNewEnv().withName("SPARK_EXECUTOR_ID").withValue("3").endEnv()
                    .addNewEnv().withName("SPARK_RESOURCE_PROFILE_ID").withValue("0").endEnv()
                    .addNewEnv().withName("SPARK_JAVA_OPT_10").withValue("-Dten").endEnv()
                    .addNewEnv().withName("SPARK_JAVA_OPT_2").withValue("-Dtwo").endEnv()
                    .addNewEnv().withName("SPARK_JAVA_OPT_0").withValue("-Dzero").endEnv()
                    .addNewEnv().withName("SPARK_LOCAL_DIRS").withValue("/var/data/spark-1,/var/data/spark-2/x").endEnv()
                    .addNewEnv().withName("SPARK_EXECUTOR_POD_IP").withNewValueFrom().withNewFieldRef("v1", "status.podIP").endValueFrom().endEnv()
                    .addNewEnv().withName("SPARK_EXECUTOR_POD_NAME").withNewValueFrom().withNewFieldRef("v1", "metadata.name").endValueFrom().endEnv()
                    .addNewEnv().withName("SECRET").withNewValueFrom().withNewSecretKeyRef("k", "s", false).endValueFrom().endEnv()
                    .addNewVolumeMount().withName("spark-conf-volume-exec").withMountPath("/opt/spark/conf").endVolumeMount()
                    .addNewVolumeMount().withName("spark-local-dir-1").withMountPath("/var/data/spark-1").endVolumeMount()
                    .addNewVolumeMount().withName("spark-local-dir-2").withMountPath("/var/data/spark-2").endVolumeMount()
                .endContainer().endSpec().build();
    }

    @Test
    void executorCommandIsTheEntrypointsFromThePodsOwnEnv() {
        ContainerLaunch launch = ContainerLaunch.of(executor("executor"), POD_DIR, "/jdk/bin/java", List.of("/jars/a.jar", "/jars/b.jar"));

        String conf = POD_DIR.resolve("volumes/spark-conf-volume-exec").toString();
        assertThat(launch.command()).containsExactly("/jdk/bin/java", "-Dzero", "-Dtwo", "-Dten", "-Xms512m", "-Xmx512m",
                "-cp", conf + ":/jars/a.jar:/jars/b.jar", ContainerLaunch.EXECUTOR_BACKEND,
                "--driver-url", "spark://CoarseGrainedScheduler@127.0.0.1:40000", "--executor-id", "3", "--cores", "1",
                "--app-id", "spark-a", "--hostname", "127.0.0.1", "--resourceProfileId", "0", "--podName", "app-exec-3");
        assertThat(launch.env()).containsEntry("SPARK_LOCAL_DIRS",
                        POD_DIR.resolve("volumes/spark-local-dir-1") + "," + POD_DIR.resolve("volumes/spark-local-dir-2") + "/x")
                .containsEntry("SPARK_CONF_DIR", conf).doesNotContainKey("SECRET");
        assertThat(launch.mounts()).containsOnlyKeys("spark-conf-volume-exec", "spark-local-dir-1", "spark-local-dir-2");
    }

    @Test
    void onlySparksExecutorCommandRuns() {
        assertThatThrownBy(() -> ContainerLaunch.of(executor("driver"), POD_DIR, "java", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not Spark's executor command");
    }

    @Test
    void pathsOutsideMountsStayAsTheyAre() {
        assertThat(ContainerLaunch.localPaths("/var/data/spark-10", List.of(
                new ContainerLaunch.MountedVolume("v", "/var/data/spark-1", Path.of("/local/v"))))).isEqualTo("/var/data/spark-10");
    }
}
