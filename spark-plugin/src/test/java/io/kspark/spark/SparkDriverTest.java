package io.kspark.spark;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.kspark.spark.Fixtures.DRIVER;
import static io.kspark.spark.Fixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Spark driver (SparkContext with a {@code k8s://} master, Spark's KubernetesClusterManager and
 * KubernetesClusterSchedulerBackend, its lifecycle manager and watch/poll sources) against the mock API server, with
 * dynamic allocation and shuffle tracking: Spark loads the plugin by its class name, and its targets reach the
 * driver pod annotation.
 */
@EnableKubernetesMockClient(https = false, crud = true)
class SparkDriverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    KubernetesMockServer server;
    KubernetesClient client;

    private SparkContext sc;

    @AfterEach
    void tearDown() {
        if (sc != null) {
            sc.stop();
        }
        Set<String> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(pods).containsExactly(DRIVER);
    }

    @Test
    void dynamicAllocationTargetsReachTheDriverPodAnnotation() throws Exception {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of(), Map.of())).create();
        SparkConf conf = clientModeConf("kspark-plugin-test")
                .set("spark.kubernetes.executor.apiPollingInterval", "1s")
                .set("spark.kubernetes.allocation.batch.delay", "100ms")
                .set("spark.hadoop.fs.s3a.secret.key", "never-published")
                .set("spark.dynamicAllocation.enabled", "true")
                .set("spark.dynamicAllocation.shuffleTracking.enabled", "true")
                .set("spark.dynamicAllocation.minExecutors", "0")
                .set("spark.dynamicAllocation.initialExecutors", "1")
                .set("spark.dynamicAllocation.maxExecutors", "4")
                .set("spark.dynamicAllocation.schedulerBacklogTimeout", "1s")
                .set("spark.dynamicAllocation.sustainedSchedulerBacklogTimeout", "1s");

        sc = new SparkContext(conf);
        assertThat(sc.version()).isEqualTo(System.getProperty("kspark.expected.spark.version", sc.version()));
        JavaSparkContext jsc = new JavaSparkContext(sc);

        // KubernetesClusterSchedulerBackend.start: the client-mode hand-over with the initial target.
        await().atMost(WAIT).until(() -> "1".equals(annotation()));
        Pod handedOver = client.pods().inNamespace(NAMESPACE).withName(DRIVER).get();
        assertThat(handedOver.getMetadata().getLabels()).containsEntry("spark-app-selector", sc.applicationId())
                .containsEntry("spark-role", "driver");
        String configMap = handedOver.getMetadata().getAnnotations().get(DriverHandOver.SPARK_CONF_ANNOTATION);
        assertThat(configMap).isEqualTo(DriverHandOver.configMapName(sc.applicationId()));
        // The user executors run as: the driver's SparkContext.sparkUser.
        assertThat(handedOver.getMetadata().getAnnotations()).containsEntry(DriverHandOver.SPARK_USER_ANNOTATION, sc.sparkUser());
        java.util.Properties published = new java.util.Properties();
        published.load(new java.io.StringReader(client.configMaps().inNamespace(NAMESPACE).withName(configMap).get()
                .getData().get(DriverHandOver.PROPERTIES_KEY)));
        // The running driver's values: the port it bound, its app id, the executor pod name prefix Spark chose.
        assertThat(published.getProperty("spark.driver.port")).isEqualTo(sc.conf().get("spark.driver.port")).isNotEqualTo("0");
        assertThat(published.getProperty("spark.app.id")).isEqualTo(sc.applicationId());
        assertThat(published.getProperty("spark.driver.host")).isEqualTo("127.0.0.1");
        assertThat(published).doesNotContainKey("spark.hadoop.fs.s3a.secret.key");
        assertThat(published.getProperty("spark.kubernetes.executor.podNamePrefix")).startsWith("kspark-plugin-test-");

        // Four pending tasks and no executor: ExecutorAllocationManager ramps the target up to 4.
        List<Integer> numbers = IntStream.range(0, 8).boxed().collect(Collectors.toList());
        JavaFutureAction<Long> job = jsc.parallelize(numbers, 4).countAsync();
        await().atMost(WAIT).until(() -> "4".equals(annotation()));

        // No more tasks: the target drops to minExecutors.
        job.cancel(true);
        await().atMost(WAIT).until(() -> "0".equals(annotation()));

        // Up again, then the driver stops: target 0 before SparkContext.stop returns.
        JavaFutureAction<Long> again = jsc.parallelize(numbers, 2).countAsync();
        await().atMost(WAIT).until(() -> "2".equals(annotation()));
        sc.stop();
        sc = null;
        assertThat(again.isDone()).isTrue();
        assertThat(annotation()).isEqualTo("0");
    }

    @Test
    void aContextStoppedWithoutDeleteOnTerminationLeavesNoWriterRunning() {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of(), Map.of())).create();
        SparkConf conf = clientModeConf("no-delete")
                .set("spark.kubernetes.executor.deleteOnTermination", "false")
                .set(KsparkPodsAllocator.HEARTBEAT_INTERVAL, "200ms")
                .set("spark.executor.instances", "1");
        sc = new SparkContext(conf);
        await().atMost(WAIT).until(() -> heartbeat() != null);

        // Spark does not call the allocator's stop in this mode, and closes its Kubernetes client.
        sc.stop();
        sc = null;

        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("kspark-executor-target-writer") && t.isAlive()));
        String last = heartbeat();
        await().during(java.time.Duration.ofMillis(800)).atMost(WAIT).until(() -> java.util.Objects.equals(last, heartbeat()));
    }

    /** A client-mode driver in this JVM, its driver pod the notebook pod, executors allocated by the kspark plugin. */
    private SparkConf clientModeConf(String appName) {
        return new SparkConf(false)
                .setMaster("k8s://" + client.getConfiguration().getMasterUrl())
                .setAppName(appName)
                .set("spark.kubernetes.allocation.pods.allocator", "io.kspark.spark.KsparkPodsAllocator")
                .set("spark.kubernetes.namespace", NAMESPACE)
                .set("spark.kubernetes.driver.pod.name", DRIVER)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.scheduler.minRegisteredResourcesRatio", "0");
    }

    private String heartbeat() {
        Pod driver = client.pods().inNamespace(NAMESPACE).withName(DRIVER).get();
        Map<String, String> annotations = driver.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(DriverHandOver.HEARTBEAT_ANNOTATION);
    }

    private String annotation() {
        Pod driver = client.pods().inNamespace(NAMESPACE).withName(DRIVER).get();
        Map<String, String> annotations = driver.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION);
    }
}
