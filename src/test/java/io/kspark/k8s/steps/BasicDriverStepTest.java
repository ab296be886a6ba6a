package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.MainResource;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;
import io.kspark.testing.Confs;
import io.kspark.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BasicDriverStepTest {

    private static StepResult apply(SparkConf conf, MainResource resource) {
        DriverConf driver = Confs.driver(conf, resource, TestEnvironment.empty());
        return new BasicDriverStep(driver).apply(SparkPod.initial());
    }

    private static Container container(String... keyValues) {
        return apply(Confs.conf(keyValues), new MainResource.Java("local:///a.jar")).pod().container();
    }

    /** memory request = limit = heap + max(factor * heap, minimum overhead). */
    @ParameterizedTest(name = "{0} {1}={2} -> {3}")
    @CsvSource({
            "java,   spark.driver.memory,                 1g,    1408Mi",
            "java,   spark.driver.memory,                 4g,    4505Mi",
            "python, spark.driver.memory,                 1g,    1433Mi",
            "r,      spark.driver.memory,                 2g,    2867Mi",
            "java,   spark.driver.memoryOverhead,         512m,  1536Mi",
            "java,   spark.driver.memoryOverheadFactor,   0.5,   1536Mi",
            "python, spark.kubernetes.memoryOverheadFactor, 0.2, 1408Mi",
            "java,   spark.driver.minMemoryOverhead,      100m,  1126Mi"})
    void memoryFollowsSparksOverheadRules(String type, String key, String value, String expected) {
        MainResource resource = switch (type) {
            case "python" -> new MainResource.Python("local:///a.py");
            case "r" -> new MainResource.R("local:///a.R");
            default -> new MainResource.Java("local:///a.jar");
        };
        Container c = apply(Confs.conf(key, value), resource).pod().container();
        assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity(expected));
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity(expected));
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.5", "500m, 500m"})
    void requestCoresOverridesTheCpuRequest(String requestCores, String expected) {
        Container c = container("spark.driver.cores", "3", "spark.kubernetes.driver.request.cores", requestCores);
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity(expected));
        assertThat(c.getResources().getLimits()).doesNotContainKey("cpu");
    }

    @Test
    void limitCoresAndGpusBecomeLimits() {
        Container c = container("spark.driver.cores", "2", "spark.kubernetes.driver.limit.cores", "4",
                "spark.driver.resource.gpu.amount", "1", "spark.driver.resource.gpu.vendor", "nvidia.com");
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("2"));
        assertThat(c.getResources().getLimits())
                .containsEntry("cpu", new Quantity("4"))
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
    }

    @Test
    void gpuWithoutVendorIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> container("spark.driver.resource.gpu.amount", "1"))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.driver.resource.gpu.vendor: ");
    }

    @Test
    void invalidCpuQuantitiesAreRejected() {
        assertThatThrownBy(() -> container("spark.kubernetes.driver.request.cores", "half"))
                .hasMessageStartingWith("spark.kubernetes.driver.request.cores: ");
    }

    @Test
    void portsEnvAndPodFieldsMatchSpark() {
        StepResult result = apply(Confs.conf("spark.driver.port", "7100", "spark.blockManager.port", "7200", "spark.ui.port", "4050",
                "spark.kubernetes.driverEnv.MODE", "prod", "spark.kubernetes.container.image.pullPolicy", "Always",
                "spark.kubernetes.container.image.pullSecrets", "a, b", "spark.kubernetes.node.selector.disk", "ssd",
                "spark.kubernetes.driver.node.selector.pool", "drivers", "spark.kubernetes.scheduler.name", "volcano",
                "spark.kubernetes.driver.annotation.note", "{{APP_ID}}"), new MainResource.Java("local:///a.jar"));
        Container c = result.pod().container();
        assertThat(c.getName()).isEqualTo("spark-kubernetes-driver");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("driver-rpc-port:7100", "blockmanager:7200", "spark-ui:4050", "spark-connect:15002");
        assertThat(c.getEnv()).extracting(e -> e.getName())
                .containsExactly("SPARK_USER", "SPARK_APPLICATION_ID", "MODE", "SPARK_DRIVER_BIND_ADDRESS");
        assertThat(Confs.env(c, "SPARK_DRIVER_BIND_ADDRESS").orElseThrow().getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        var pod = result.pod().pod();
        assertThat(pod.getMetadata().getName()).isEqualTo("spark-pi-0000000000000001-driver");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "spark-00000000000000000000000000000abc");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getNodeSelector()).isEqualTo(Map.of("disk", "ssd", "pool", "drivers"));
        assertThat(pod.getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("a", "b");
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo("volcano");
        assertThat(result.sparkProperties())
                .containsEntry("spark.kubernetes.driver.pod.name", "spark-pi-0000000000000001-driver")
                .containsEntry("spark.app.id", "spark-00000000000000000000000000000abc")
                .containsEntry("spark.kubernetes.submitInDriver", "true")
                .containsEntry("spark.kubernetes.memoryOverheadFactor", "0.1");
    }

    @Test
    void reservedOrInvalidLabelsAreRejected() {
        assertThatThrownBy(() -> container("spark.kubernetes.driver.label.spark-role", "x"))
                .hasMessageStartingWith("spark.kubernetes.driver.label.spark-role: ");
        assertThatThrownBy(() -> container("spark.kubernetes.driver.label.team", "has spaces"))
                .hasMessageStartingWith("spark.kubernetes.driver.label.team: ");
        assertThatThrownBy(() -> container("spark.kubernetes.driver.label.bad key!", "x"))
                .hasMessageStartingWith("spark.kubernetes.driver.label.bad key!: ");
    }

    @Test
    void missingImageIsRejected() {
        SparkConf conf = SparkConf.of(Map.of("spark.app.name", "x"));
        assertThatThrownBy(() -> apply(conf, new MainResource.Java("local:///a.jar")))
                .hasMessageStartingWith("spark.kubernetes.container.image: is required");
    }

    @Test
    void driverImageFallsBackAndSubstitutesSparkVersion() {
        assertThat(container("spark.kubernetes.driver.container.image", "repo/spark:{{SPARK_VERSION}}").getImage())
                .isEqualTo("repo/spark:4.1.1");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "spark.driver.port,                     70000, spark.driver.port",
            "spark.driver.blockManager.port,        -5,    spark.driver.blockManager.port",
            "spark.blockManager.port,               0,     spark.blockManager.port",
            "spark.ui.port,                         0,     spark.ui.port",
            "spark.connect.grpc.binding.port,       65536, spark.connect.grpc.binding.port"})
    void portsKubernetesWouldRefuseNameTheirKey(String key, String value, String named) {
        assertThatThrownBy(() -> container(key, value))
                .isInstanceOf(UserInputException.class)
                .hasMessage(named + ": " + value + " cannot be a port of the driver pod and Service (Kubernetes takes 1-65535)");
    }

    @Test
    void executorsRandomBlockManagerPortIsFineWhenTheDriverHasItsOwn() {
        Container c = container("spark.blockManager.port", "0", "spark.driver.blockManager.port", "7090", "spark.driver.port", "65535");
        assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("driver-rpc-port:65535", "blockmanager:7090", "spark-ui:4040", "spark-connect:15002");
    }

    @Test
    void schedulerNamesMustBeObjectNames() {
        assertThatThrownBy(() -> Confs.driver(Confs.conf("spark.kubernetes.scheduler.name", "Bad Name")).schedulerName())
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.kubernetes.scheduler.name: must be a valid Kubernetes object name");
        assertThatThrownBy(() -> Confs.driver(Confs.conf("spark.kubernetes.driver.scheduler.name", "UPPER")).schedulerName())
                .hasMessageStartingWith("spark.kubernetes.driver.scheduler.name: ");
        assertThat(Confs.driver(Confs.conf("spark.kubernetes.scheduler.name", "volcano.sh")).schedulerName()).contains("volcano.sh");
    }
}
