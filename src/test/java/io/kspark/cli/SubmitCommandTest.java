package io.kspark.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.testing.Cli;
import io.kspark.testing.KubeletSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SubmitCommandTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    KubernetesClient client;

    @BeforeEach
    void reset() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
    }

    String master() {
        return "k8s://" + client.getMasterUrl().toString().replaceAll("/$", "");
    }

    String[] sparkPi(boolean wait, String... extraOptions) {
        List<String> args = new ArrayList<>(List.of("submit", "--master", master(), "--deploy-mode", "cluster", "--name", "spark-pi",
                "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
                "--conf", "spark.kubernetes.submission.waitAppCompletion=" + wait, "--conf", "spark.kubernetes.report.interval=200ms"));
        args.addAll(List.of(extraOptions));
        args.add("local:///opt/spark/examples/jars/spark-examples.jar");
        args.add("100");
        return args.toArray(String[]::new);
    }

    /** The error line (stderr may also carry the plain-http warning the mock server causes). */
    static String errorLine(Cli.Result result) {
        return result.err().lines().filter(l -> l.startsWith("kspark: error:")).findFirst().orElse(result.err());
    }

    private List<HasMetadata> everything() {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.pods().inAnyNamespace().list().getItems());
        all.addAll(client.services().inAnyNamespace().list().getItems());
        all.addAll(client.configMaps().inAnyNamespace().list().getItems());
        all.addAll(client.secrets().inAnyNamespace().list().getItems());
        all.addAll(client.persistentVolumeClaims().inAnyNamespace().list().getItems());
        return all;
    }

    @Test
    void submitCreatesDriverPodServiceAndConfigMapOwnedByTheDriver() {
        Cli.Result result = Cli.run(factory, sparkPi(false));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        Pod driver = client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
        assertThat(driver.getMetadata().getName()).matches("spark-pi-[0-9a-f]{16}-driver");
        assertThat(driver.getMetadata().getLabels()).containsEntry("spark-app-name", "spark-pi").containsKey("spark-app-selector");
        Service service = client.services().inNamespace("default").list().getItems().get(0);
        ConfigMap configMap = client.configMaps().inNamespace("default").list().getItems().get(0);
        assertThat(service.getMetadata().getName()).isEqualTo(driver.getMetadata().getName() + "-svc");
        assertThat(configMap.getMetadata().getName()).matches("spark-drv-[0-9a-f]{16}-conf-map");
        for (HasMetadata owned : List.of(service, configMap)) {
            OwnerReference ref = owned.getMetadata().getOwnerReferences().get(0);
            assertThat(ref.getUid()).isEqualTo(driver.getMetadata().getUid());
            assertThat(ref.getName()).isEqualTo(driver.getMetadata().getName());
            assertThat(ref.getKind()).isEqualTo("Pod");
            assertThat(ref.getController()).isTrue();
        }
        assertThat(configMap.getData().get("spark.properties"))
                .contains("spark.driver.host=" + service.getMetadata().getName() + ".default.svc")
                .contains("spark.kubernetes.driver.pod.name=" + driver.getMetadata().getName());
        String appId = driver.getMetadata().getLabels().get("spark-app-selector");
        assertThat(result.out()).contains("Submitted application spark-pi with application ID " + appId
                + " and submission ID default:" + driver.getMetadata().getName());
    }

    @Test
    void objectsAreCreatedInSparksOrder() {
        Cli.run(factory, sparkPi(false, "--conf", "spark.kubernetes.authenticate.driver.serviceAccountName=spark"));
        Pod driver = client.pods().inNamespace("default").list().getItems().get(0);
        Service service = client.services().inNamespace("default").list().getItems().get(0);
        ConfigMap configMap = client.configMaps().inNamespace("default").list().getItems().get(0);
        long pod = Long.parseLong(driver.getMetadata().getResourceVersion());
        long svc = Long.parseLong(service.getMetadata().getResourceVersion());
        long cm = Long.parseLong(configMap.getMetadata().getResourceVersion());
        assertThat(pod).isLessThan(svc);
        assertThat(svc).isLessThan(cm);
    }

    @Test
    void failingPodCreationLeavesNothingAndExitsThree() {
        server.expect().post().withPath("/api/v1/namespaces/default/pods").andReturn(403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"pods is forbidden: User cannot create\",\"code\":403}").always();
        Cli.Result result = Cli.run(factory, sparkPi(false));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(errorLine(result)).startsWith("kspark: error: cannot create driver pod default/spark-pi-")
                .contains("HTTP 403 Forbidden (pods is forbidden: User cannot create)").doesNotContain("\n");
        assertThat(everything()).isEmpty();
    }

    @Test
    void failingServiceCreationRollsBackThePod() {
        server.expect().post().withPath("/api/v1/namespaces/default/services").andReturn(409,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"already exists\",\"code\":409}").always();
        Cli.Result result = Cli.run(factory, sparkPi(false));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("cannot create Service default/").contains("HTTP 409 Conflict").contains("removed the objects created so far");
        assertThat(everything()).isEmpty();
    }

    @Test
    void failingConfigMapCreationRollsBackServiceAndPod() {
        server.expect().post().withPath("/api/v1/namespaces/default/configmaps").andReturn(500,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"etcd unavailable\",\"code\":500}").always();
        Cli.Result result = Cli.run(factory, sparkPi(false));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("cannot create ConfigMap default/spark-drv-").contains("HTTP 500");
        assertThat(everything()).isEmpty();
    }

    @Test
    void failingSecretOrClaimCreationRollsBackEverything() {
        server.expect().post().withPath("/api/v1/namespaces/default/persistentvolumeclaims").andReturn(422,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"invalid\",\"code\":422}").always();
        String pvc = "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.";
        Cli.Result result = Cli.run(factory, sparkPi(false, "--conf", "spark.kubernetes.authenticate.driver.oauthToken=t0k3n",
                "--conf", pvc + "mount.path=/data", "--conf", pvc + "options.claimName=OnDemand",
                "--conf", pvc + "options.storageClass=standard", "--conf", pvc + "options.sizeLimit=1Gi"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("cannot create PersistentVolumeClaim default/spark-pi-").doesNotContain("t0k3n");
        assertThat(everything()).isEmpty();
    }

    @Test
    void unreachableApiServerIsOneLineAndExitThree() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String[] args = sparkPi(false);
        args[2] = "k8s://http://admin:s3cret@127.0.0.1:" + port;
        Cli.Result result = Cli.run(factory, args);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(errorLine(result)).contains("cannot reach the API server http://127.0.0.1:" + port + "/ (")
                .containsIgnoringCase("connection refused").doesNotContain("s3cret").doesNotContain("admin");
        assertThat(result.err().lines().filter(l -> l.startsWith("kspark: error:"))).hasSize(1);
    }

    @Test
    void silentApiServerTimesOut() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            String[] args = sparkPi(false, "--conf", "spark.kubernetes.submission.requestTimeout=300",
                    "--conf", "spark.kubernetes.submission.connectionTimeout=300");
            args[2] = "k8s://http://127.0.0.1:" + socket.getLocalPort();
            Cli.Result result = Cli.run(factory, args);
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(errorLine(result)).startsWith("kspark: error: cannot create driver pod")
                    .contains("the API server http://127.0.0.1:" + socket.getLocalPort() + "/ did not answer in time");
        }
    }

    @Test
    void badInputExitsTwoAndCreatesNothing() {
        Cli.Result unknown = Cli.run(factory, "submit", "--master", master(), "--bogus", "x", "local:///a.jar");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'");
        Cli.Result badPolicy = Cli.run(factory, sparkPi(false, "--conf", "spark.kubernetes.container.image.pullPolicy=Sometimes"));
        assertThat(badPolicy.exitCode()).isEqualTo(2);
        assertThat(errorLine(badPolicy)).isEqualTo("kspark: error: spark.kubernetes.container.image.pullPolicy: must be one of"
                + " Always, Never, IfNotPresent (was 'Sometimes')");
        Cli.Result noImage = Cli.run(factory, "submit", "--master", master(), "--deploy-mode", "cluster", "--class", "A", "local:///a.jar");
        assertThat(noImage.exitCode()).isEqualTo(2);
        assertThat(noImage.err()).contains("spark.kubernetes.container.image: is required");
        Cli.Result badMaster = Cli.run(factory, "submit", "--master", "yarn", "--deploy-mode", "cluster", "--class", "A", "local:///a.jar");
        assertThat(badMaster.exitCode()).isEqualTo(2);
        assertThat(badMaster.err()).contains("--master: 'yarn' is not a Kubernetes master URL");
        Cli.Result badVolume = Cli.run(factory, sparkPi(false, "--conf", "spark.kubernetes.executor.volumes.emptyDir.tmp.options.medium=Memory"));
        assertThat(badVolume.exitCode()).isEqualTo(2);
        assertThat(badVolume.err()).contains("spark.kubernetes.executor.volumes.emptyDir.tmp.mount.path: is required");
        Cli.Result badExecutorAccount = Cli.run(factory, sparkPi(false, "--conf", "spark.kubernetes.authenticate.executor.serviceAccountName=Bad_SA"));
        assertThat(badExecutorAccount.exitCode()).as("executor settings are checked before the driver exists").isEqualTo(2);
        assertThat(errorLine(badExecutorAccount)).isEqualTo("kspark: error: spark.kubernetes.authenticate.executor.serviceAccountName: must be"
                + " a valid Kubernetes object name (lower-case DNS subdomain, at most 253 characters) (was 'Bad_SA')");
        Cli.Result badPort = Cli.run(factory, sparkPi(false, "--conf", "spark.driver.port=70000"));
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(errorLine(badPort)).startsWith("kspark: error: spark.driver.port: 70000 cannot be a port");
        Cli.Result clientMode = Cli.run(factory, "submit", "--master", master(), "--class", "A", "--conf",
                "spark.kubernetes.container.image=x", "local:///a.jar");
        assertThat(clientMode.exitCode()).isEqualTo(2);
        assertThat(clientMode.err()).contains("--deploy-mode: not set");
        assertThat(everything()).isEmpty();
    }

    @Test
    void waitingReportsStatusChangesAndSucceeds() {
        try (var kubelet = new KubeletSimulator(client, "default",
                pod -> KubeletSimulator.Script.succeedsAfter(Duration.ofMillis(300), Duration.ofMillis(700)))) {
            Cli.Result result = Cli.run(factory, sparkPi(true));
            assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
            assertThat(result.out())
                    .containsPattern("spark-pi-[0-9a-f]{16}-driver: Pending")
                    .contains(": Running; spark-kubernetes-driver running")
                    .contains(": Succeeded; spark-kubernetes-driver terminated (exit code 0, Completed)")
                    .contains("Application status for spark-")
                    .containsPattern("Application spark-pi \\(spark-[0-9a-f]{32}\\) succeeded\\.");
        }
    }

    @Test
    void failedDriverExitsOneWithItsExitCode() {
        try (var kubelet = new KubeletSimulator(client, "default",
                pod -> KubeletSimulator.Script.failsAfter(Duration.ofMillis(100), Duration.ofMillis(300), 42))) {
            Cli.Result result = Cli.run(factory, sparkPi(true));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("failed: driver container exited with code 42 (Error): simulated failure");
        }
    }

    @Test
    void deletedDriverEndsTheWait() {
        CompletableFuture<Cli.Result> submit = CompletableFuture.supplyAsync(() -> Cli.run(factory, sparkPi(true)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.pods().inNamespace("default").list().getItems().isEmpty());
        client.pods().inNamespace("default").delete();
        Cli.Result result = submit.join();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("was deleted");
    }

    @Test
    void remindersKeepTheirScheduleWhileThePodKeepsChangingAndAnEvictionSaysWhy() {
        StringWriter out = new StringWriter();
        CompletableFuture<Cli.Result> submit = CompletableFuture.supplyAsync(() -> Cli.run(factory, out, new StringWriter(), sparkPi(true)));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("Waiting for application"));
        String driver = client.pods().inNamespace("default").list().getItems().get(0).getMetadata().getName();
        // Changes no status line reports (an annotation every 50 ms) must not hold back the 200 ms reminders.
        for (int i = 0; i < 16; i++) {
            String beat = Integer.toString(i);
            client.pods().inNamespace("default").withName(driver).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                    .editMetadata().addToAnnotations("beat", beat).endMetadata().build());
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(50)).until(() -> true);
        }
        assertThat(out.toString()).contains("Application status for spark-");
        client.pods().inNamespace("default").withName(driver).editStatus(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .withNewStatus().withPhase("Failed").withReason("Evicted").withMessage("The node was low on resource: memory.\nmore").endStatus()
                .build());

        Cli.Result result = submit.join();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("failed: driver pod Evicted: The node was low on resource: memory.").doesNotContain("more");
        assertThat(out.toString()).contains(": Failed (Evicted: The node was low on resource: memory.)");
    }

    @Test
    void interruptStopsWaitingAndLeavesTheAppRunning() {
        AtomicReference<Thread> runner = new AtomicReference<>();
        StringWriter out = new StringWriter();
        CompletableFuture<Cli.Result> submit = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            return Cli.run(factory, out, new StringWriter(), sparkPi(true));
        });
        // Ctrl-C while waiting, i.e. once every object exists (an interrupt during creation rolls back instead).
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("Waiting for application"));
        runner.get().interrupt();
        Cli.Result result = submit.join();
        assertThat(result.exitCode()).isEqualTo(130);
        assertThat(result.err()).contains("Stopped waiting; application spark-pi keeps running");
        assertThat(client.pods().inNamespace("default").list().getItems()).hasSize(1);
    }

    @Test
    void tokensNeverReachTheConfigMapOrOutput() {
        Cli.Result result = Cli.run(factory, sparkPi(false, "--conf", "spark.kubernetes.authenticate.driver.oauthToken=sup3r-s3cret",
                "--conf", "spark.kubernetes.authenticate.submission.oauthToken=subm1ss1on"));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        ConfigMap configMap = client.configMaps().inNamespace("default").list().getItems().get(0);
        assertThat(configMap.getData().toString()).doesNotContain("sup3r-s3cret").doesNotContain("subm1ss1on")
                .contains("spark.kubernetes.authenticate.driver.oauthToken=<present_but_redacted>");
        assertThat(result.out() + result.err()).doesNotContain("sup3r-s3cret").doesNotContain("subm1ss1on");
        assertThat(client.secrets().inNamespace("default").list().getItems()).hasSize(1);
    }

    @Test
    void dryRunPrintsEveryObjectAndExecutorOneWithoutContactingTheServer() {
        String[] args = sparkPi(false, "--dry-run", "--conf", "spark.kubernetes.authenticate.driver.oauthToken=sup3r-s3cret");
        args[2] = "k8s://https://unreachable.invalid:6443";
        Cli.Result result = Cli.run(factory, args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        var list = new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .unmarshal(result.out(), io.fabric8.kubernetes.api.model.KubernetesList.class);
        assertThat(list.getItems()).extracting(i -> i.getKind())
                .containsExactly("Pod", "Secret", "Service", "ConfigMap", "Pod");
        Pod executor = (Pod) list.getItems().get(4);
        assertThat(executor.getMetadata().getName()).matches("spark-pi-[0-9a-f]{16}-exec-1");
        assertThat(executor.getMetadata().getLabels()).containsEntry("spark-role", "executor").containsEntry("spark-exec-id", "1");
        String driverName = list.getItems().get(0).getMetadata().getName();
        assertThat(executor.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo(driverName);
        assertThat(list.getItems().subList(1, 4)).allSatisfy(owned -> assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo(driverName);
                    assertThat(ref.getKind()).isEqualTo("Pod");
                    assertThat(ref.getController()).isTrue();
                }));
        assertThat(result.out()).doesNotContain("sup3r-s3cret");
        Cli.Result json = Cli.run(factory, sparkPi(false, "--dry-run", "-o", "json"));
        assertThat(json.out()).startsWith("{");
        assertThat(everything()).isEmpty();
    }
}
