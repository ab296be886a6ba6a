package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The running driver's conf, as Spark's entrypoint and SparkContext leave it, rebuilt from the driver pod and its ConfigMap. */
class ExecutorContextsTest {

    static Pod submittedDriver() {
        return new PodBuilder().withNewMetadata().withName("pi-driver").withNamespace("jobs")
                .addToLabels("spark-app-selector", "spark-1").endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("apache/spark:4.1.1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.1.2.3").endStatus().build();
    }

    static ConfigMap conf(String properties) {
        return new ConfigMapBuilder().withNewMetadata().withName("pi-driver-conf-map").endMetadata()
                .withData(Map.of("spark.properties", "spark.kubernetes.submitInDriver=true\nspark.app.name=pi\n" + properties)).build();
    }

    static ExecutorContext context(String properties) {
        return ExecutorContexts.fromDriver(submittedDriver(), conf(properties), Optional.empty(),
                new ExecutorNaming("0123456789abcdef", "spark-exec-0123456789abcdef-conf-map", "/var/data/spark-1"), Optional.empty());
    }

    @Test
    void aSubmittedDriverRunsInClientModeBoundToItsPodIpWithTheDriversExecutorId() {
        Map<String, String> conf = context("spark.driver.host=pi-svc.jobs.svc\nspark.submit.deployMode=cluster\n").conf().asMap();
        assertThat(conf).containsEntry("spark.driver.bindAddress", "10.1.2.3")
                .containsEntry("spark.executorEnv.SPARK_DRIVER_POD_IP", "10.1.2.3")
                .containsEntry("spark.submit.deployMode", "client")
                .containsEntry("spark.executor.id", "driver")
                .containsEntry("spark.driver.host", "pi-svc.jobs.svc");
        // SparkContext puts the IPv6 preference and the JDK module options in front of the executors' Java options.
        String executorOptions = context("spark.executor.extraJavaOptions=-Dmine=1\n").conf().asMap().get("spark.executor.extraJavaOptions");
        assertThat(executorOptions).startsWith("-Djava.net.preferIPv6Addresses=false -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector")
                .contains(" --add-opens=java.base/sun.nio.ch=ALL-UNNAMED ").endsWith("--enable-native-access=ALL-UNNAMED -Dmine=1");
        assertThat(conf).containsKey("spark.app.startTime").containsEntry("spark.hadoop.fs.s3a.vectored.read.min.seek.size", "128K");
    }

    @Test
    void withoutTheDriverServiceTheDriverHostIsThePodsAddress() {
        // spark.kubernetes.driver.pod.excludedFeatureSteps left out the Service, so nothing set spark.driver.host.
        assertThat(context("").conf().asMap()).containsEntry("spark.driver.host", "10.1.2.3");
    }
}
