package io.kspark.reconciler.api;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/** The controller command end to end: reconciliation, REST API, health and metrics, and shutdown. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ControllerApiTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    @Inject
    ReconcilerRuntime runtime;

    KubernetesClient client;
    KubeletSimulator kubelet;
    CompletableFuture<Cli.Result> controller;

    @BeforeEach
    void startController() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
        kubelet = new KubeletSimulator(client, "default", pod -> "driver".equals(pod.getMetadata().getLabels().get("spark-role"))
                ? Script.runsForever(Duration.ofMillis(50))
                : pod.getMetadata().getName().endsWith("-exec-3") ? Script.staysPending() : Script.runsForever(Duration.ofMillis(50)));
        String master = "k8s://" + client.getMasterUrl().toString().replaceAll("/$", "");
        controller = CompletableFuture.supplyAsync(() -> Cli.run(factory, "controller", "--master", master));
        await().atMost(WAIT).until(() -> runtime.reconciler().map(r -> r.synced()).orElse(false));
    }

    @AfterEach
    void stopController() {
        runtime.requestStop(0);
        Cli.Result result = controller.join();
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        kubelet.close();
    }

    String submit(int executors) {
        Pod driver = Submissions.submit(client, client.getMasterUrl().toString().replaceAll("/$", ""), "default", "spark-pi", "controller",
                executors);
        return driver.getMetadata().getLabels().get("spark-app-selector");
    }

    List<Pod> executors() {
        return client.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems();
    }

    @Test
    void reconcilesAndReportsApplicationsAndExecutors() {
        String appId = submit(3);
        await().atMost(WAIT).until(() -> executors().size() == 3);
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/applications").then().statusCode(200)
                .body("appId", hasItem(appId))
                .body("find { it.appId == '" + appId + "' }.executors.running", equalTo(2))
                .body("find { it.appId == '" + appId + "' }.executors.pending", equalTo(1))
                .body("find { it.appId == '" + appId + "' }.target.0", equalTo(3))
                .body("find { it.appId == '" + appId + "' }.driverPhase", equalTo("Running")));
        given().get("/api/v1/namespaces/default/applications/" + appId).then().statusCode(200)
                .body("executors", hasSize(3))
                .body("executors.find { it.id == 1 }.state", equalTo("running"))
                .body("executors.find { it.id == 1 }.ageSeconds", notNullValue())
                .body("executors.find { it.id == 3 }.state", equalTo("pending"));
    }

    @Test
    void pendingExecutorsSayWhy() {
        String appId = submit(3);
        await().atMost(WAIT).until(() -> executors().size() == 3);
        Pod pending = executors().stream().filter(p -> p.getMetadata().getName().endsWith("-exec-3")).findFirst().orElseThrow();
        // The reconciler may touch the pod at the same time: retry the status write on 409 Conflict.
        await().atMost(WAIT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            client.pods().inNamespace("default").withName(pending.getMetadata().getName()).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                    .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient cpu.").endCondition().endStatus().build());
            return true;
        });
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/namespaces/default/applications/" + appId).then().statusCode(200)
                .body("executors.find { it.id == 3 }.pendingReason", equalTo("Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.")));
    }

    @Test
    void puttingATargetScalesTheApplication() {
        String appId = submit(1);
        await().atMost(WAIT).until(() -> executors().size() == 1);
        given().contentType(ContentType.JSON).body("{\"target\": 2}")
                .put("/api/v1/namespaces/default/applications/" + appId + "/executors")
                .then().statusCode(202).body("target", equalTo(2));
        await().atMost(WAIT).until(() -> executors().size() == 2);
        Pod driver = client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
        assertThat(driver.getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_TARGET, "2");
    }

    @Test
    void puttingATargetChangesTheDefaultProfilesOnlyAndKeepsTheOthers() {
        String appId = submit(1);
        await().atMost(WAIT).until(() -> executors().size() == 1);
        Pod driver = client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
        client.pods().inNamespace("default").withName(driver.getMetadata().getName()).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editMetadata().addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, "0=1,1=2").endMetadata().build());
        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/namespaces/default/applications/" + appId)
                .then().statusCode(200).body("application.target.1", equalTo(2)));

        // 409 while the reconciler still writes to the driver for the new profile (the read-modify-write saw an older
        // driver): read again and retry, as the API asks a client to.
        await().atMost(WAIT).until(() -> {
            var response = given().contentType(ContentType.JSON).body("{\"target\": 3}")
                    .put("/api/v1/namespaces/default/applications/" + appId + "/executors").then().extract();
            assertThat(response.statusCode()).as(response.body().asString()).isIn(202, 409);
            return response.statusCode() == 202 && response.jsonPath().getInt("target") == 3;
        });

        Pod updated = client.pods().inNamespace("default").withName(driver.getMetadata().getName()).get();
        assertThat(updated.getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_TARGET, "0=3,1=2");
    }

    @Test
    void errorsTheFrameworkRaisesAreJsonToo() {
        given().contentType(ContentType.JSON).body("{}").patch("/api/v1/applications").then().statusCode(405)
                .contentType(ContentType.JSON).body("status", equalTo(405));
        given().accept("application/xml").get("/api/v1/applications").then().statusCode(406)
                .contentType(ContentType.JSON).body("status", equalTo(406));
    }

    @Test
    void executorIdsMustBePositiveNumbers() {
        String appId = submit(1);
        await().atMost(WAIT).until(() -> runtime.reconciler().get().state().apps().keySet().stream().anyMatch(k -> k.appId().equals(appId)));
        for (String id : new String[] {"-1", "0", "+1", "1e3"}) {
            given().delete("/api/v1/namespaces/default/applications/" + appId + "/executors/" + id).then().statusCode(400)
                    .body("error", containsString("positive number"));
        }
    }

    @Test
    void deletingAnExecutorReplacesItWithANewId() {
        String appId = submit(1);
        await().atMost(WAIT).until(() -> executors().size() == 1 && runtime.reconciler().get().state().apps().values().stream()
                .anyMatch(a -> !a.executors().isEmpty()));
        given().delete("/api/v1/namespaces/default/applications/" + appId + "/executors/1").then().statusCode(202).body("id", equalTo(1));
        await().atMost(WAIT).until(() -> executors().stream().anyMatch(p -> "2".equals(p.getMetadata().getLabels().get("spark-exec-id"))));
    }

    @Test
    void deletingAnExecutorThatIsAlreadyGoingIsAConflict() {
        String appId = submit(1);
        await().atMost(WAIT).until(() -> executors().size() == 1 && runtime.reconciler().get().state().apps().values().stream()
                .anyMatch(a -> a.executors().containsKey(1L)));
        String podName = executors().get(0).getMetadata().getName();
        // A finalizer keeps the deleted pod in the API server with its deletion timestamp, as a grace period would.
        client.pods().inNamespace("default").withName(podName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":[\"kspark.io/test-hold\"]}}");
        client.pods().inNamespace("default").withName(podName).delete();
        await().atMost(WAIT).until(() -> runtime.reconciler().get().state().apps().values().stream()
                .map(a -> a.executors().get(1L)).anyMatch(e -> e != null && e.pod().getMetadata().getDeletionTimestamp() != null));

        given().delete("/api/v1/namespaces/default/applications/" + appId + "/executors/1").then().statusCode(409)
                .body("error", containsString("already being deleted"));
    }

    @Test
    void badRequestsGetJsonErrors() {
        String appId = submit(1);
        given().contentType(ContentType.JSON).body("{\"target\": -1}").put("/api/v1/namespaces/default/applications/" + appId + "/executors")
                .then().statusCode(400).body("status", equalTo(400)).body("error", containsString("negative"));
        given().contentType(ContentType.JSON).body("{}").put("/api/v1/namespaces/default/applications/" + appId + "/executors")
                .then().statusCode(400).body("error", containsString("target"));
        // Malformed bodies get JSON errors too, whatever content type the client declared.
        given().contentType(ContentType.JSON).body("garbage").put("/api/v1/namespaces/default/applications/" + appId + "/executors")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", containsString("invalid JSON"));
        given().contentType(ContentType.JSON).body("{\"target\": 1.5}").put("/api/v1/namespaces/default/applications/" + appId + "/executors")
                .then().statusCode(400).body("error", containsString("whole number"));
        given().contentType(ContentType.TEXT).body("{\"target\": 2}").put("/api/v1/namespaces/default/applications/" + appId + "/executors")
                .then().statusCode(202).body("target", equalTo(2));
        given().get("/api/v1/namespaces/default/applications/spark-nope").then().statusCode(404).body("error", containsString("spark-nope"));
        await().atMost(WAIT).until(() -> runtime.reconciler().get().state().apps().keySet().stream().anyMatch(k -> k.appId().equals(appId)));
        given().delete("/api/v1/namespaces/default/applications/" + appId + "/executors/99").then().statusCode(404);
        given().delete("/api/v1/namespaces/default/applications/" + appId + "/executors/x").then().statusCode(400);
        Pod driver = client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
        kubelet.terminate(driver.getMetadata().getName(), 0, "Completed");
        await().atMost(WAIT).untilAsserted(() -> given().contentType(ContentType.JSON).body("{\"target\": 3}")
                .put("/api/v1/namespaces/default/applications/" + appId + "/executors").then().statusCode(409));
    }

    @Test
    void aNotebookApplicationShowsItsHeartbeatAndWhyItHasNoExecutors() {
        ClientModeDrivers.notebook(client, "default", "jupyter-0", "controller");
        java.util.Map<String, String> conf = new java.util.HashMap<>(ClientModeDrivers.conf("default", "jupyter-0", "spark-nb", "nb", 40123));
        conf.put("spark.executor.memory", "lots");
        ClientModeDrivers.handOver(client, "default", "jupyter-0", "spark-nb", conf, "2");

        await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/namespaces/default/applications/spark-nb").then().statusCode(200)
                .body("application.problem", containsString("spark.executor.memory"))
                .body("application.driverHeartbeat", notNullValue())
                .body("executors", hasSize(0)));
        // A submitted application has neither.
        String appId = submit(1);
        await().atMost(WAIT).until(() -> executors().stream().anyMatch(p -> appId.equals(p.getMetadata().getLabels().get("spark-app-selector"))));
        given().get("/api/v1/applications").then().statusCode(200)
                .body("find { it.appId == '" + appId + "' }.problem", org.hamcrest.Matchers.nullValue())
                .body("find { it.appId == '" + appId + "' }.driverHeartbeat", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void healthAndMetrics() {
        submit(2);
        await().atMost(WAIT).until(() -> executors().size() == 2);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kspark_executors{"))
                .body(containsString("state=\"running\""))
                .body(containsString("kspark_reconcile_seconds_count"))
                .body(containsString("kspark_api_requests_total{code=\"201\",verb=\"post\"}"))
                .body(containsString("kspark_applications"))
                .body(containsString("kspark_watch_restarts_total{kind=\"executor\"}")));
        // The gauges must outlive a garbage collection (Micrometer holds a gauge's object weakly unless told otherwise).
        System.gc();
        List<String> gauges = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("kspark_executors{") || l.startsWith("kspark_applications ")).toList();
        assertThat(gauges).isNotEmpty().noneMatch(l -> l.endsWith("NaN"));
        assertThat(gauges).anyMatch(l -> l.matches("kspark_applications [1-9][0-9]*\\.0"));
    }
}
