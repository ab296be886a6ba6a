package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.testing.Cli;
import io.kspark.testing.KubeletSimulator;
import io.kspark.testing.KubeletSimulator.Script;
import io.kspark.testing.ReconcilerDump;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReconcilerPipelineTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    @Inject
    KsparkConfig config;

    KubernetesClient client;
    final List<AutoCloseable> closeables = new ArrayList<>();
    final List<Reconciler> reconcilers = new ArrayList<>();

    @BeforeEach
    void reset() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        closeables.clear();
        reconcilers.clear();
    }

    void awaitOrDump(java.util.concurrent.Callable<Boolean> condition) {
        ReconcilerDump.awaitOrDump(WAIT, condition, client, "default", reconcilers);
    }

    String master() {
        return "k8s://" + client.getMasterUrl().toString().replaceAll("/$", "");
    }

    Pod submit(int executors, String... extra) {
        List<String> args = new ArrayList<>(List.of("submit", "--master", master(), "--deploy-mode", "cluster", "--name", "spark-pi",
                "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
                "--conf", "spark.kubernetes.submission.waitAppCompletion=false", "--conf", "spark.kspark.reconciler=controller",
                "--conf", "spark.kubernetes.allocation.batch.delay=200ms", "--num-executors", Integer.toString(executors)));
        args.addAll(List.of(extra));
        args.add("local:///opt/spark/examples/jars/spark-examples.jar");
        Cli.Result result = Cli.run(factory, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        return client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
    }

    KubeletSimulator kubelet(Function<Pod, Script> scripts) {
        KubeletSimulator simulator = new KubeletSimulator(client, "default", scripts);
        closeables.add(simulator);
        return simulator;
    }

    Reconciler reconciler() {
        Reconciler reconciler = new Reconciler(client, Scope.controller(List.of()), config.reconciler(), ReconcilerMetrics.noop(),
                Clock.systemUTC(), () -> true);
        closeables.add(reconciler);
        reconcilers.add(reconciler);
        reconciler.start();
        return reconciler;
    }

    List<Pod> executors() {
        return client.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems();
    }

    Pod driver() {
        return client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
    }

    static Script byRole(Pod pod, Script driver, Script executor) {
        return "driver".equals(pod.getMetadata().getLabels().get("spark-role")) ? driver : executor;
    }

    @Test
    void executorsAreCreatedOnlyOnceTheDriverRunsWithSparksShapeAndOwnership() {
        Pod submitted = submit(3);
        assertThat(submitted.getMetadata().getLabels()).containsEntry(KsparkMetadata.RECONCILER_LABEL, "controller");
        assertThat(submitted.getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_TARGET, "3");
        reconciler();
        kubelet(pod -> byRole(pod, Script.runsForever(Duration.ofMillis(500)), Script.runsForever(Duration.ofMillis(100))));
        awaitOrDump(() -> executors().size() == 3);
        Pod driver = driver();
        assertThat(driver.getStatus().getPhase()).isEqualTo("Running");
        assertThat(driver.getMetadata().getAnnotations()).containsEntry(KsparkMetadata.LAST_EXECUTOR_ID, "3");
        List<Pod> executors = executors();
        assertThat(executors).extracting(p -> p.getMetadata().getLabels().get("spark-exec-id")).containsExactlyInAnyOrder("1", "2", "3");
        for (Pod executor : executors) {
            assertThat(executor.getMetadata().getName()).matches("spark-pi-[0-9a-f]{16}-exec-[123]");
            assertThat(executor.getMetadata().getLabels()).containsEntry(KsparkMetadata.RECONCILER_LABEL, "controller")
                    .containsEntry("spark-role", "executor").containsEntry("spark-app-selector", driver.getMetadata().getLabels().get("spark-app-selector"));
            assertThat(executor.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(driver.getMetadata().getUid()));
            var container = executor.getSpec().getContainers().get(0);
            assertThat(container.getName()).isEqualTo("spark-kubernetes-executor");
            assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getValue()).startsWith("spark://CoarseGrainedScheduler@spark-pi-"));
            // The driver was pending when first seen; executors still get the IP it was given once scheduled.
            assertThat(container.getEnv()).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("SPARK_DRIVER_POD_IP");
                assertThat(e.getValue()).isEqualTo(driver.getStatus().getPodIP());
            });
        }
        assertThat(client.configMaps().inNamespace("default").withLabel("spark-role", "executor").list().getItems()).hasSize(1);
    }

    @Test
    void aReturningExecutorReusesTheClaimOfOneThatLeft() {
        String volume = "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.";
        submit(1, "--conf", volume + "options.claimName=OnDemand", "--conf", volume + "options.storageClass=standard",
                "--conf", volume + "options.sizeLimit=1Gi", "--conf", volume + "mount.path=/data",
                "--conf", "spark.kubernetes.allocation.executor.timeout=200ms"); // claims are reusable after 5 x batch.delay = 1 s
        reconciler();
        kubelet(pod -> Script.runsForever(Duration.ofMillis(100)));
        awaitOrDump(() -> executors().size() == 1 && claims().size() == 1);
        var claim = claims().get(0);
        assertThat(claim.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(driver().getMetadata().getUid()));

        // Dynamic allocation gives executor 1 back: Spark lowers the target and deletes its pod; its claim stays.
        setTarget("0");
        client.pods().inNamespace("default").withName(executors().get(0).getMetadata().getName()).delete();
        awaitOrDump(() -> executors().isEmpty());
        java.time.Instant reusableFrom = java.time.Instant.parse(claim.getMetadata().getCreationTimestamp()).plusMillis(1100);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> java.time.Instant.now().isAfter(reusableFrom));
        setTarget("1");

        awaitOrDump(() -> executors().size() == 1);
        Pod returning = executors().get(0);
        assertThat(returning.getMetadata().getLabels()).containsEntry("spark-exec-id", "2");
        assertThat(returning.getSpec().getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(claim.getMetadata().getName()));
        assertThat(claims()).as("no new claim").hasSize(1);
    }

    @Test
    void withWaitToReuseAReplacementWaitsForTheClaimOfTheExecutorItReplaces() {
        String volume = "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.";
        submit(2, "--conf", volume + "options.claimName=OnDemand", "--conf", volume + "options.storageClass=standard",
                "--conf", volume + "options.sizeLimit=1Gi", "--conf", volume + "mount.path=/data",
                "--conf", "spark.kubernetes.driver.waitToReusePersistentVolumeClaim=true",
                "--conf", "spark.kubernetes.allocation.executor.timeout=3s"); // claims are reusable once 3 s old
        reconciler();
        KubeletSimulator kubelet = kubelet(pod -> Script.runsForever(Duration.ofMillis(100)));
        awaitOrDump(() -> executors().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count() == 2
                && claims().size() == 2);
        Pod failing = executors().stream().filter(p -> "2".equals(p.getMetadata().getLabels().get("spark-exec-id"))).findFirst().orElseThrow();
        String claimOfFailed = failing.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst()
                .orElseThrow().getPersistentVolumeClaim().getClaimName();

        // Executor 2 fails while its claim is still too young to reuse: without the wait a third claim would be made at once.
        kubelet.terminate(failing.getMetadata().getName(), 1, "Error");

        awaitOrDump(() -> executors().stream().anyMatch(p -> "3".equals(p.getMetadata().getLabels().get("spark-exec-id"))));
        Pod replacement = executors().stream().filter(p -> "3".equals(p.getMetadata().getLabels().get("spark-exec-id"))).findFirst().orElseThrow();
        assertThat(replacement.getSpec().getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(claimOfFailed));
        assertThat(claims()).as("the app holds at most spark.executor.instances claims").hasSize(2);
        java.time.Instant claimCreated = java.time.Instant.parse(claims().stream().filter(c -> c.getMetadata().getName().equals(claimOfFailed))
                .findFirst().orElseThrow().getMetadata().getCreationTimestamp());
        assertThat(java.time.Instant.parse(replacement.getMetadata().getCreationTimestamp()))
                .as("created once the claim came of age, not before").isAfterOrEqualTo(claimCreated.plusSeconds(3));
    }

    @Test
    void aCreateThatFindsItsPodStillTerminatingIsNotTakenForDone() {
        submit(1, "--conf", "spark.kubernetes.executor.podNamePrefix=pi-terminating");
        String executorOne = "pi-terminating-exec-1";
        // The name is taken by a pod on its way out (an earlier try rolled back): the API server answers 409.
        server.expect().post().withPath("/api/v1/namespaces/default/pods").andReturn(409, "already exists").once();
        server.expect().get().withPath("/api/v1/namespaces/default/pods/" + executorOne).andReturn(200, new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName(executorOne).withNamespace("default").withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build()).always();
        reconciler();
        kubelet(pod -> Script.runsForever(Duration.ofMillis(100)));

        // Spark's creation timeout (10 min) is not waited out: the next cycle spends the next id.
        awaitOrDump(() -> executors().stream().anyMatch(p -> "2".equals(p.getMetadata().getLabels().get("spark-exec-id"))));
        assertThat(driver().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.LAST_EXECUTOR_ID, "2");
    }

    List<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> claims() {
        return client.persistentVolumeClaims().inNamespace("default").list().getItems();
    }

    void setTarget(String target) {
        client.pods().inNamespace("default").withName(driver().getMetadata().getName()).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editMetadata().addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, target).endMetadata().build());
    }

    @Test
    void executorsOfANonDefaultResourceProfileGetThatProfilesResources() {
        submit(1, "--conf", "spark.executor.resource.fpga.amount=1", "--conf", "spark.executor.resource.fpga.vendor=xilinx.com");
        // What the kspark allocator writes once a stage asks for profile 1: its target and its resources, in one patch.
        client.pods().inNamespace("default").withName(driver().getMetadata().getName()).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editMetadata().addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, "0=1,1=1")
                .addToAnnotations(KsparkMetadata.RESOURCE_PROFILES, "{\"1\":{\"cores\":{\"amount\":4},\"memory\":{\"amount\":6144},"
                        + "\"gpu\":{\"amount\":2,\"vendor\":\"nvidia.com\"}}}").endMetadata().build());
        reconciler();
        kubelet(pod -> Script.runsForever(Duration.ofMillis(100)));

        awaitOrDump(() -> executors().size() == 2);
        Pod byDefault = executors().stream().filter(p -> "0".equals(p.getMetadata().getLabels().get("spark-exec-resourceprofile-id"))).findFirst().orElseThrow();
        Pod byProfile = executors().stream().filter(p -> "1".equals(p.getMetadata().getLabels().get("spark-exec-resourceprofile-id"))).findFirst().orElseThrow();
        var defaultResources = byDefault.getSpec().getContainers().get(0).getResources();
        assertThat(defaultResources.getRequests()).containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("1408Mi"));
        assertThat(defaultResources.getLimits()).containsEntry("xilinx.com/fpga", new Quantity("1")).doesNotContainKey("nvidia.com/gpu");
        var container = byProfile.getSpec().getContainers().get(0);
        // 6 GiB heap + the default profile's overhead (384 MiB, from the default 1 GiB heap), as Spark sizes it.
        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("4")).containsEntry("memory", new Quantity("6528Mi"));
        assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("6528Mi"))
                .containsEntry("nvidia.com/gpu", new Quantity("2")).doesNotContainKey("xilinx.com/fpga");
        assertThat(container.getEnv()).anySatisfy(e -> assertThat(e).extracting("name", "value").containsExactly("SPARK_EXECUTOR_CORES", "4"))
                .anySatisfy(e -> assertThat(e).extracting("name", "value").containsExactly("SPARK_EXECUTOR_MEMORY", "6144m"))
                .anySatisfy(e -> assertThat(e).extracting("name", "value").containsExactly("SPARK_RESOURCE_PROFILE_ID", "1"));
    }

    @Test
    void anUnreadableResourceProfilesAnnotationCreatesNoExecutorOfThatProfileAndSaysWhy() {
        submit(1);
        client.pods().inNamespace("default").withName(driver().getMetadata().getName()).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editMetadata().addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, "0=0,1=1")
                .addToAnnotations(KsparkMetadata.RESOURCE_PROFILES, "{\"1\":{\"gpu\":{\"amount\":\"two\"}}}").endMetadata().build());
        reconciler();
        kubelet(pod -> Script.runsForever(Duration.ofMillis(100)));

        awaitOrDump(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> e.getMessage() != null && e.getMessage().contains(KsparkMetadata.RESOURCE_PROFILES)));
        assertThat(executors()).isEmpty();
        assertThat(driver().getMetadata().getAnnotations().get(KsparkMetadata.LAST_EXECUTOR_ID)).as("no id spent").isIn(null, "0");
    }

    @Test
    void failedExecutorIsReplacedWithTheNextIdAndCounted() {
        submit(2);
        reconciler();
        KubeletSimulator kubelet = kubelet(pod -> byRole(pod, Script.runsForever(Duration.ofMillis(100)), Script.runsForever(Duration.ofMillis(100))));
        awaitOrDump(() -> executors().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count() == 2);
        String failed = executors().stream().filter(p -> p.getMetadata().getLabels().get("spark-exec-id").equals("2")).findFirst().orElseThrow()
                .getMetadata().getName();
        kubelet.terminate(failed, 137, "OOMKilled");
        awaitOrDump(() -> executors().stream().map(p -> p.getMetadata().getLabels().get("spark-exec-id")).toList()
                .containsAll(List.of("1", "3")) && executors().size() == 2);
        assertThat(driver().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_FAILURES, "1")
                .containsEntry(KsparkMetadata.LAST_EXECUTOR_ID, "3");
    }

    @Test
    void driverEndRemovesAllExecutors() {
        submit(3);
        reconciler();
        KubeletSimulator kubelet = kubelet(pod -> byRole(pod, Script.runsForever(Duration.ofMillis(100)), Script.runsForever(Duration.ofMillis(100))));
        awaitOrDump(() -> executors().size() == 3);
        kubelet.terminate(driver().getMetadata().getName(), 0, "Completed");
        awaitOrDump(() -> executors().isEmpty());
    }

    /** An app with deleteOnTermination=false, its two executors running, and the reconciler that created them. */
    record KeepingApp(Reconciler reconciler, KubeletSimulator kubelet) {
    }

    KeepingApp keepingAppWithTwoRunningExecutors() {
        submit(2, "--conf", "spark.kubernetes.executor.deleteOnTermination=false");
        Reconciler reconciler = reconciler();
        KubeletSimulator kubelet = kubelet(pod -> byRole(pod, Script.runsForever(Duration.ofMillis(100)), Script.runsForever(Duration.ofMillis(100))));
        awaitOrDump(() -> executors().size() == 2 && executors().stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
        return new KeepingApp(reconciler, kubelet);
    }

    @Test
    void withDeleteOnTerminationFalseExecutorsOutliveTheirDriverAlsoAcrossARestart() throws Exception {
        KeepingApp app = keepingAppWithTwoRunningExecutors();
        Reconciler first = app.reconciler();
        KubeletSimulator kubelet = app.kubelet();

        kubelet.terminate(driver().getMetadata().getName(), 0, "Completed");
        // Kept for their logs, as Spark keeps them, and labelled as Spark labels kept executors.
        awaitOrDump(() -> executors().size() == 2 && executors().stream()
                .allMatch(p -> "true".equals(p.getMetadata().getLabels().get(KsparkMetadata.SPARK_EXEC_INACTIVE))));
        String firstExecutor = executors().get(0).getMetadata().getName();
        kubelet.terminate(firstExecutor, 0, "Completed");
        awaitOrDump(() -> executors().stream().anyMatch(p -> p.getMetadata().getName().equals(firstExecutor)
                && "Succeeded".equals(p.getStatus().getPhase())));

        // A restarted reconciler, which never read the app's conf, plans the app to its end and still keeps them.
        first.close();
        java.util.concurrent.CountDownLatch forgotten = new java.util.concurrent.CountDownLatch(1);
        Reconciler restarted = new Reconciler(client, Scope.controller(List.of()), config.reconciler(), ReconcilerMetrics.noop(),
                Clock.systemUTC(), () -> true).onAppFinished(key -> forgotten.countDown());
        closeables.add(restarted);
        reconcilers.add(restarted);
        restarted.start();
        assertThat(forgotten.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(executors()).hasSize(2);
    }

    @Test
    void withDeleteOnTerminationFalseADriverThatEndedWhileNoReconcilerRanKeepsItsExecutors() throws Exception {
        KeepingApp app = keepingAppWithTwoRunningExecutors();
        KubeletSimulator kubelet = app.kubelet();
        app.reconciler().close();

        // The driver ends during a leader change: the next reconciler never loaded the app, and reads its conf to decide.
        String driverName = driver().getMetadata().getName();
        kubelet.terminate(driverName, 0, "Completed");
        awaitOrDump(() -> "Succeeded".equals(driver().getStatus().getPhase()));
        reconciler();
        awaitOrDump(() -> executors().size() == 2 && executors().stream()
                .allMatch(p -> "true".equals(p.getMetadata().getLabels().get(KsparkMetadata.SPARK_EXEC_INACTIVE))));
    }
}
