package io.kspark.reconciler.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.runtime.ReconcilerRuntime;
import io.kspark.testing.Cli;
import io.kspark.testing.ClientModeDrivers;
import io.kspark.testing.KubeletSimulator;
import io.kspark.testing.KubeletSimulator.Script;
import io.kspark.testing.Submissions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;

/** The sidecar reconciles its own application only and exits once the driver container has ended. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SidecarCommandTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    @Inject
    ReconcilerRuntime runtime;

    KubernetesClient client;

    @BeforeEach
    void reset() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
    }

    List<Pod> executors(String appId) {
        return client.pods().inNamespace("default").withLabel("spark-role", "executor").withLabel("spark-app-selector", appId).list().getItems();
    }

    @Test
    void anUnreachableApiServerIsOneLineNamingItAndExitThree() {
        Cli.Result result = Cli.run(factory, "sidecar", "--master", "k8s://https://127.0.0.1:1", "--driver-pod", "spark-pi-driver",
                "--namespace", "default");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.err().lines().filter(l -> l.startsWith("kspark: error: ")).toList()).singleElement().asString()
                .contains("cannot read driver pod default/spark-pi-driver").contains("https://127.0.0.1:1/");
    }

    @Test
    void submitAddsTheNativeSidecarAndTheSidecarReconcilesOnlyItsApp() throws Exception {
        String master = client.getMasterUrl().toString().replaceAll("/$", "");
        Pod driver = Submissions.submit(client, master, "default", "spark-pi", "sidecar", 2,
                "spark.kspark.image=ghcr.io/example/kspark:1.0");
        Container sidecar = driver.getSpec().getInitContainers().get(0);
        assertThat(sidecar.getName()).isEqualTo("kspark-sidecar");
        assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
        assertThat(sidecar.getImage()).isEqualTo("ghcr.io/example/kspark:1.0");
        assertThat(sidecar.getArgs()).containsExactly("sidecar");
        assertThat(sidecar.getSecurityContext()).satisfies(security -> {
            assertThat(security.getRunAsNonRoot()).isTrue();
            assertThat(security.getRunAsUser()).isEqualTo(1001L);
            assertThat(security.getRunAsGroup()).isEqualTo(1001L);
            assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(security.getAllowPrivilegeEscalation()).isFalse();
            assertThat(security.getReadOnlyRootFilesystem()).isTrue();
            assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        });
        assertThat(sidecar.getEnv()).anySatisfy(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
        assertThat(sidecar.getEnv()).noneSatisfy(e -> assertThat(e.getName()).isEqualTo("KSPARK_RECONCILER_POLL_INTERVAL"));
        assertThat(driver.getMetadata().getLabels()).containsEntry(KsparkMetadata.RECONCILER_LABEL, "sidecar");
        String appId = driver.getMetadata().getLabels().get("spark-app-selector");
        Pod other = Submissions.submit(client, master, "default", "other", "sidecar", 2, "spark.kspark.image=ghcr.io/example/kspark:1.0",
                "spark.kubernetes.executor.apiPollingInterval=10s");
        // The sidecar serves one app: it lists that app's pods as often as the app asks Spark to.
        assertThat(other.getSpec().getInitContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("KSPARK_RECONCILER_POLL_INTERVAL");
            assertThat(java.time.Duration.parse(e.getValue())).isEqualTo(Duration.ofSeconds(10));
        });
        String otherApp = other.getMetadata().getLabels().get("spark-app-selector");

        try (KubeletSimulator kubelet = new KubeletSimulator(client, "default", pod -> Script.runsForever(Duration.ofMillis(50)))) {
            CompletableFuture<Cli.Result> sidecarRun = CompletableFuture.supplyAsync(() -> Cli.run(factory, "sidecar", "--master",
                    "k8s://" + master, "--driver-pod", driver.getMetadata().getName(), "--namespace", "default"));
            await().atMost(WAIT).until(() -> executors(appId).size() == 2);
            Thread.sleep(500);
            assertThat(executors(otherApp)).as("another app's executors are not this sidecar's business").isEmpty();
            // Nor is its REST API: the other app does not exist as far as this sidecar is concerned.
            given().get("/api/v1/namespaces/default/applications/" + appId).then().statusCode(200);
            given().get("/api/v1/namespaces/default/applications/" + otherApp).then().statusCode(404)
                    .body("error", containsString("no application " + otherApp));
            given().contentType("application/json").body("{\"target\": 5}")
                    .put("/api/v1/namespaces/default/applications/" + otherApp + "/executors").then().statusCode(404);
            given().get("/api/v1/applications").then().statusCode(200).body("appId", contains(appId));
            assertThat(executors(appId)).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                    .containsEntry(KsparkMetadata.RECONCILER_LABEL, "sidecar"));

            kubelet.terminateContainer(driver.getMetadata().getName(), "spark-kubernetes-driver", 0);
            await().atMost(WAIT).until(() -> executors(appId).isEmpty());
            Cli.Result result = sidecarRun.get(20, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
            assertThat(runtime.reconciler()).isEmpty();
        }
    }

    @Test
    void sidecarInANotebookPodWaitsForSparkAndFollowsEachApplication() throws Exception {
        String master = client.getMasterUrl().toString().replaceAll("/$", "");
        ClientModeDrivers.notebook(client, "default", "jupyter-0", "sidecar");
        try (KubeletSimulator kubelet = new KubeletSimulator(client, "default", pod -> Script.runsForever(Duration.ofMillis(50)))) {
            CompletableFuture<Cli.Result> sidecarRun = CompletableFuture.supplyAsync(() -> Cli.run(factory, "sidecar", "--master",
                    "k8s://" + master, "--driver-pod", "jupyter-0", "--namespace", "default"));
            await().atMost(WAIT).until(() -> client.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems().isEmpty()
                    && !sidecarRun.isDone());

            ClientModeDrivers.handOver(client, "default", "jupyter-0", "spark-a",
                    ClientModeDrivers.conf("default", "jupyter-0", "spark-a", "nb-aaaa", 40123), "2");
            await().atMost(WAIT).until(() -> executors("spark-a").size() == 2);
            assertThat(executors("spark-a")).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                    .containsEntry(KsparkMetadata.RECONCILER_LABEL, "sidecar"));

            ClientModeDrivers.stop(client, "default", "jupyter-0", "spark-a");
            ClientModeDrivers.handOver(client, "default", "jupyter-0", "spark-b",
                    ClientModeDrivers.conf("default", "jupyter-0", "spark-b", "nb-bbbb", 40124), "1");
            await().atMost(WAIT).until(() -> executors("spark-b").size() == 1);
            assertThat(executors("spark-a")).isEmpty();
            assertThat(sidecarRun).isNotDone();

            kubelet.terminate("jupyter-0", 0, "Completed");
            await().atMost(WAIT).until(() -> executors("spark-b").isEmpty());
            Cli.Result result = sidecarRun.get(20, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        }
    }

    @Test
    void aSidecarRidesOutAnApiServerErrorWhenReadingItsDriverPod() throws Exception {
        String master = client.getMasterUrl().toString().replaceAll("/$", "");
        ClientModeDrivers.notebook(client, "default", "jupyter-0", "sidecar");
        ClientModeDrivers.handOver(client, "default", "jupyter-0", "spark-a",
                ClientModeDrivers.conf("default", "jupyter-0", "spark-a", "nb-aaaa", 40123), "1");
        // The sidecar's own reads of its pod (nothing else reads it before the reconciler starts) fail twice.
        server.expect().get().withPath("/api/v1/namespaces/default/pods/jupyter-0").andReturn(500, "injected fault").times(2);
        try (KubeletSimulator kubelet = new KubeletSimulator(client, "default", pod -> Script.runsForever(Duration.ofMillis(50)))) {
            CompletableFuture<Cli.Result> sidecarRun = CompletableFuture.supplyAsync(() -> Cli.run(factory, "sidecar", "--master",
                    "k8s://" + master, "--driver-pod", "jupyter-0", "--namespace", "default"));

            await().atMost(WAIT).until(() -> executors("spark-a").size() == 1 || sidecarRun.isDone());
            assertThat(sidecarRun).as(() -> "ended: " + sidecarRun.join().err()).isNotDone();

            kubelet.terminate("jupyter-0", 0, "Completed");
            Cli.Result result = sidecarRun.get(20, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        }
    }

    @Test
    void sidecarNeedsADriverPod() {
        Cli.Result result = Cli.run(factory, "sidecar", "--master", "k8s://" + client.getMasterUrl().toString().replaceAll("/$", ""),
                "--driver-pod", "nope", "--namespace", "default");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--driver-pod: default/nope is not a Spark driver pod");
    }

    @Test
    void sidecarModeNeedsAnImage() {
        Cli.Result result = Cli.run(factory, "submit", "--dry-run", "--master", "k8s://https://x:6443", "--deploy-mode", "cluster",
                "--class", "A", "--conf", "spark.kubernetes.container.image=i", "--conf", "spark.kspark.reconciler=sidecar", "local:///a.jar");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("spark.kspark.image: is required with spark.kspark.reconciler=sidecar");
        Cli.Result bad = Cli.run(factory, "submit", "--dry-run", "--master", "k8s://https://x:6443", "--deploy-mode", "cluster",
                "--class", "A", "--conf", "spark.kubernetes.container.image=i", "--conf", "spark.kspark.reconciler=elsewhere", "local:///a.jar");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("spark.kspark.reconciler: must be one of driver, controller, sidecar");
    }
}
