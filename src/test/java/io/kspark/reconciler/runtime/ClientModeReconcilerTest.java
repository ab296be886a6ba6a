package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.testing.ClientModeDrivers;
import io.kspark.testing.KubeletSimulator;
import io.kspark.testing.KubeletSimulator.Script;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client-mode driver in a notebook pod, handed over by the kspark allocator plugin, one application after another. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ClientModeReconcilerTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NS = "notebooks";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KsparkConfig config;

    KubernetesClient client;
    Reconciler reconciler;
    KubeletSimulator kubelet;

    @BeforeEach
    void start() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
        kubelet = new KubeletSimulator(client, NS, pod -> Script.runsForever(Duration.ofMillis(50)));
        reconciler = new Reconciler(client, Scope.controller(List.of(NS)), config.reconciler(), ReconcilerMetrics.noop(), Clock.systemUTC(),
                () -> true);
        reconciler.start();
    }

    @AfterEach
    void stop() {
        reconciler.close();
        kubelet.close();
    }

    List<Pod> executors(String appId) {
        return client.pods().inNamespace(NS).withLabel("spark-role", "executor").withLabel("spark-app-selector", appId).list().getItems();
    }

    /** A notebook application's published conf (jupyter-0 in NS) plus {@code extra} key/value pairs. */
    static java.util.Map<String, String> confWith(String appId, String prefix, int port, String... extra) {
        java.util.Map<String, String> conf = new java.util.HashMap<>(ClientModeDrivers.conf(NS, "jupyter-0", appId, prefix, port));
        for (int i = 0; i < extra.length; i += 2) {
            conf.put(extra[i], extra[i + 1]);
        }
        return conf;
    }

    static String env(Pod pod, String name) {
        return pod.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void handedOverNotebookDriverGetsExecutorsThatReachTheRunningDriver() {
        Pod notebook = ClientModeDrivers.notebook(client, NS, "jupyter-0", "controller");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-a", ClientModeDrivers.conf(NS, "jupyter-0", "spark-a", "nb-aaaa", 40123), "2");

        await().atMost(WAIT).until(() -> executors("spark-a").size() == 2);
        for (Pod executor : executors("spark-a")) {
            assertThat(executor.getMetadata().getName()).matches("nb-aaaa-exec-[12]");
            assertThat(env(executor, "SPARK_DRIVER_URL")).isEqualTo("spark://CoarseGrainedScheduler@jupyter-0-svc.notebooks.svc:40123");
            assertThat(env(executor, "SPARK_APPLICATION_ID")).isEqualTo("spark-a");
            // Only a submitted driver is started by Spark's entrypoint, which passes the pod IP on.
            assertThat(env(executor, "SPARK_DRIVER_POD_IP")).isNull();
            // The notebook's user, as the plugin published it (the notebook container has no SPARK_USER).
            assertThat(env(executor, "SPARK_USER")).isEqualTo("jovyan");
            assertThat(executor.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(notebook.getMetadata().getUid()));
        }
    }

    @Test
    void nextApplicationInTheSamePodStartsAfreshAndTheEarlierOneIsLetGo() {
        ClientModeDrivers.notebook(client, NS, "jupyter-0", "controller");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-a", ClientModeDrivers.conf(NS, "jupyter-0", "spark-a", "nb-aaaa", 40123), "2");
        await().atMost(WAIT).until(() -> executors("spark-a").size() == 2);
        String failed = executors("spark-a").get(0).getMetadata().getName();
        kubelet.terminate(failed, 137, "OOMKilled");
        await().atMost(WAIT).until(() -> "3".equals(annotation(KsparkMetadata.LAST_EXECUTOR_ID)) && executors("spark-a").size() == 2);

        // The notebook stops application A (the plugin writes 0 and deletes its executors) and starts B.
        ClientModeDrivers.stop(client, NS, "jupyter-0", "spark-a");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-b", ClientModeDrivers.conf(NS, "jupyter-0", "spark-b", "nb-bbbb", 40999), "1");

        await().atMost(WAIT).until(() -> executors("spark-b").size() == 1);
        Pod b = executors("spark-b").get(0);
        assertThat(b.getMetadata().getName()).isEqualTo("nb-bbbb-exec-1");
        assertThat(env(b, "SPARK_DRIVER_URL")).endsWith(":40999");
        // B's executors mount an executor ConfigMap of B's, not A's.
        assertThat(client.configMaps().inNamespace(NS).withLabel("spark-app-selector", "spark-b").withLabel("spark-role", "executor")
                .list().getItems()).hasSize(1);
        await().atMost(WAIT).until(() -> executors("spark-a").isEmpty());
        // B's bookkeeping started afresh (A had one failure and used ids up to 3).
        assertThat(annotation(KsparkMetadata.EXECUTOR_FAILURES)).isEqualTo("0");
        assertThat(annotation(KsparkMetadata.LAST_EXECUTOR_ID)).isEqualTo("1");
        await().atMost(WAIT).until(() -> reconciler.state().app(new io.kspark.reconciler.model.AppKey(NS, "spark-a")).isEmpty());
    }

    @Test
    void notebookPodWithoutAHandOverGetsNoExecutors() {
        ClientModeDrivers.notebook(client, NS, "jupyter-0", "controller");
        // Labelled by hand as if Spark ran there, but no plugin published the conf: nothing can be built.
        client.pods().inNamespace(NS).withName("jupyter-0").edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata()
                .addToLabels("spark-app-selector", "spark-x").addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, "2").endMetadata().build());
        ClientModeDrivers.notebook(client, NS, "jupyter-1", "controller");
        ClientModeDrivers.handOver(client, NS, "jupyter-1", "spark-y", ClientModeDrivers.conf(NS, "jupyter-1", "spark-y", "nb-yyyy", 40123), "1");

        await().atMost(WAIT).until(() -> executors("spark-y").size() == 1);
        assertThat(executors("spark-x")).isEmpty();
        // The user learns why from the pod's events (kubectl describe pod jupyter-0).
        await().atMost(WAIT).until(() -> !warnings("jupyter-0").isEmpty());
        assertThat(warnings("jupyter-0")).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("InvalidSparkConf");
            assertThat(event.getMessage()).contains("driver pod jupyter-0 has no Spark conf").contains(KsparkMetadata.SPARK_CONF);
        });
        assertThat(warnings("jupyter-1")).isEmpty();
    }

    @Test
    void aConfThatCannotBuildExecutorsIsReportedOnceOnTheDriverPod() {
        ClientModeDrivers.notebook(client, NS, "jupyter-0", "controller");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-a", confWith("spark-a", "nb-aaaa", 40123, "spark.executor.memory", "lots"), "2");

        await().atMost(WAIT).until(() -> !warnings("jupyter-0").isEmpty());
        assertThat(warnings("jupyter-0")).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("InvalidSparkConf");
            assertThat(event.getMessage()).startsWith("kspark cannot create executors: ").contains("spark.executor.memory");
        });
        // Retried cycles (100 ms backoff at first) report nothing new and create nothing.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> warnings("jupyter-0").size() == 1 && executors("spark-a").isEmpty());
        assertThat(annotation(KsparkMetadata.LAST_EXECUTOR_ID)).as("no executor id is spent on a conf that cannot build one").isNull();

        // The next application in the same notebook, with a good conf, gets its executors.
        ClientModeDrivers.stop(client, NS, "jupyter-0", "spark-a");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-b", ClientModeDrivers.conf(NS, "jupyter-0", "spark-b", "nb-bbbb", 40124), "1");
        await().atMost(WAIT).until(() -> executors("spark-b").size() == 1);
    }

    @Test
    void withSparkAuthenticateExecutorsAreBuiltOnlyWhenTheyReadTheSecretFromAFile() {
        ClientModeDrivers.notebook(client, NS, "jupyter-0", "controller");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-a", confWith("spark-a", "nb-aaaa", 40123, "spark.authenticate", "true"), "1");

        // The secret the driver generated never leaves it: nothing to give executors, so none are made.
        await().atMost(WAIT).until(() -> !warnings("jupyter-0").isEmpty());
        assertThat(warnings("jupyter-0")).singleElement().satisfies(event ->
                assertThat(event.getMessage()).contains("spark.authenticate=true").contains("spark.authenticate.secret.file"));
        assertThat(executors("spark-a")).isEmpty();

        ClientModeDrivers.stop(client, NS, "jupyter-0", "spark-a");
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-b", confWith("spark-b", "nb-bbbb", 40124,
                "spark.authenticate", "true", "spark.authenticate.secret.file", "/mnt/spark-auth/secret"), "1");

        await().atMost(WAIT).until(() -> executors("spark-b").size() == 1);
        Pod executor = executors("spark-b").get(0);
        assertThat(env(executor, "_SPARK_AUTH_SECRET")).as("Spark's executors read the file instead").isNull();
        assertThat(executor.getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).startsWith("SPARK_JAVA_OPT_");
            assertThat(e.getValue()).isEqualTo("-Dspark.authenticate=true");
        });
    }

    @Test
    void aNotebookDriverThatDiesWithoutStoppingLosesItsExecutorsOnceItsHeartbeatStops() {
        ClientModeDrivers.notebook(client, NS, "jupyter-0", "controller");
        java.util.Map<String, String> conf = new java.util.HashMap<>(ClientModeDrivers.conf(NS, "jupyter-0", "spark-a", "nb-aaaa", 40123));
        conf.put("spark.kspark.driver.heartbeatInterval", "200ms"); // given up after 4 intervals: 800 ms
        ClientModeDrivers.handOver(client, NS, "jupyter-0", "spark-a", conf, "2");
        var beats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            beats.scheduleWithFixedDelay(() -> ClientModeDrivers.heartbeat(client, NS, "jupyter-0"), 200, 200,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> executors("spark-a").size() == 2);
            // A live driver keeps its executors well past the timeout.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> executors("spark-a").size() == 2);
        } finally {
            beats.shutdownNow(); // the kernel is killed: no stop(), no more heartbeats, the pod runs on
        }
        // A stale heartbeat alone could be an API server outage: executors that still run are kept.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> executors("spark-a").size() == 2);

        // One executor exiting could be its own failure: it is not replaced while the heartbeat is stale.
        kubelet.terminate(executors("spark-a").get(0).getMetadata().getName(), 1, "Error");
        await().atMost(WAIT).until(() -> executors("spark-a").size() == 1);
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() -> executors("spark-a").size() == 1);
        assertThat(warnings("jupyter-0")).isEmpty();
        // All executors of a dead driver exit (they lose its RPC endpoint): that settles it.
        kubelet.terminate(executors("spark-a").get(0).getMetadata().getName(), 1, "Error");
        io.kspark.testing.ReconcilerDump.awaitOrDump(WAIT, () -> executors("spark-a").isEmpty(), client, NS, List.of(reconciler));
        assertThat(warnings("jupyter-0")).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("DriverHeartbeatLost");
            assertThat(event.getMessage()).contains(KsparkMetadata.DRIVER_HEARTBEAT);
        });
        // Nothing is created for it again.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> executors("spark-a").isEmpty());
        assertThat(annotation(KsparkMetadata.LAST_EXECUTOR_ID)).isEqualTo("2");
    }

    private List<io.fabric8.kubernetes.api.model.Event> warnings(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && pod.equals(e.getInvolvedObject().getName())).toList();
    }

    private String annotation(String key) {
        return client.pods().inNamespace(NS).withName("jupyter-0").get().getMetadata().getAnnotations().get(key);
    }
}
