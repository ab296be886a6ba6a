package io.kspark.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.Pods;
import io.kspark.reconciler.model.AppSnapshot;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.AppSettings;
import io.kspark.reconciler.plan.Expectations;
import io.kspark.reconciler.plan.Planner;
import io.kspark.reconciler.runtime.Reconciler;
import io.kspark.reconciler.runtime.ReconcilerMetrics;
import io.kspark.reconciler.runtime.Scope;
import io.kspark.testing.FaultyApiServer;
import io.kspark.testing.KubeletSimulator;
import io.kspark.testing.KubeletSimulator.Script;
import io.kspark.testing.Submissions;
import io.kspark.testing.TestAppSettings;
import io.kspark.testing.TestReconcilerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Reconciler benchmarks (run with {@code mvn -B package -DskipTests && mvn -B test -Pbench}); results
 * go to stdout and target/bench/reconciler.txt. Every figure is a median (or percentile) of repeated
 * runs against the CRUD mock API server on this machine.
 */
@Tag("bench")
class ReconcilerBenchmark {

    static final List<String> REPORT = new ArrayList<>();

    static void report(String line) {
        System.out.println("BENCH " + line);
        REPORT.add(line);
        try {
            Path file = Path.of("target/bench/reconciler.txt");
            Files.createDirectories(file.getParent());
            Files.write(file, REPORT);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static Reconciler reconciler(KubernetesClient client, TestReconcilerConfig config) {
        Reconciler reconciler = new Reconciler(client, Scope.controller(List.of()), config, new ReconcilerMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(), () -> true);
        reconciler.start();
        return reconciler;
    }

    static long executorCreates(FaultyApiServer server) {
        return server.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/api/v1/namespaces/default/pods")
                && r.status() == 201 && r.body().contains("\"spark-role\":\"executor\"")).count();
    }

    @Test
    void hundredAppsTimesTenExecutors() {
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            try (FaultyApiServer server = new FaultyApiServer(); KubernetesClient client = server.client();
                 KubeletSimulator kubelet = new KubeletSimulator(client, "default", pod -> Script.runsForever(Duration.ofMillis(20)))) {
                for (int app = 0; app < 100; app++) {
                    Submissions.submit(client, server.masterUrl(), "default", "app" + app, "controller", 10);
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> client.pods().inNamespace("default").withLabel("spark-role", "driver")
                        .list().getItems().stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
                long started = System.nanoTime();
                try (Reconciler reconciler = reconciler(client, TestReconcilerConfig.fast().withPollInterval(Duration.ofSeconds(30)))) {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5)).until(() -> executorCreates(server) >= 1000);
                    seconds.add((System.nanoTime() - started) / 1e9);
                }
            }
        }
        report(String.format("scale: 100 apps x 10 executors, targets set -> 1000 pods created: median %.2f s (runs %s)", median(seconds),
                seconds.stream().map(s -> String.format("%.2f", s)).toList()));
    }

    @Test
    void plannerTimePerThousandPodSnapshot() {
        Pod[] executors = new Pod[1000];
        for (int i = 0; i < 1000; i++) {
            executors[i] = Pods.executor(i + 1, i % 10 == 0 ? "Pending" : i % 97 == 0 ? "Failed" : "Running", i % 97 == 0 ? 1 : null);
        }
        AppSnapshot snapshot = Pods.snapshot(Pods.driver("Running", "1000", Map.of(KsparkMetadata.LAST_EXECUTOR_ID, "1000")), executors);
        AppSettings settings = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600), true, true, 1000, Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Instant now = Instant.now();
        for (int i = 0; i < 500; i++) {
            Planner.plan(snapshot, settings, Expectations.none(), now);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long started = System.nanoTime();
            Planner.plan(snapshot, settings, Expectations.none(), now);
            millis.add((System.nanoTime() - started) / 1e6);
        }
        report(String.format("planner: 1000-pod snapshot: median %.3f ms, p99 %.3f ms (1000 runs after 500 warm-up)", median(millis),
                percentile(millis, 0.99)));
    }

    @Test
    void apiRequestsPerMinuteAtSteadyState() throws Exception {
        try (FaultyApiServer server = new FaultyApiServer(); KubernetesClient client = server.client();
             KubeletSimulator kubelet = new KubeletSimulator(client, "default", pod -> Script.runsForever(Duration.ofMillis(20)))) {
            for (int app = 0; app < 100; app++) {
                Submissions.submit(client, server.masterUrl(), "default", "app" + app, "controller", 10);
            }
            try (Reconciler reconciler = reconciler(client, TestReconcilerConfig.fast().withPollInterval(Duration.ofSeconds(30)))) {
                await().atMost(Duration.ofMinutes(2)).until(() -> executorCreates(server) >= 1000);
                await().atMost(Duration.ofMinutes(2)).until(() -> client.pods().inNamespace("default").withLabel("spark-role", "executor")
                        .list().getItems().stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
                Thread.sleep(3000);
                server.clearRequests();
                Thread.sleep(60_000);
                Map<String, Long> byKind = new LinkedHashMap<>();
                for (FaultyApiServer.Request r : server.requests()) {
                    boolean reconcilerSource = r.path().contains("kspark.io%2Freconciler");
                    String kind = r.method() + (r.isWatch() ? " watch" : "") + (reconcilerSource ? " (reconciler sources)" : " (other)");
                    byKind.merge(kind, 1L, Long::sum);
                }
                long total = server.requests().stream().filter(r -> r.path().contains("kspark.io%2Freconciler") || !r.method().equals("GET")).count();
                report("steady state, 100 apps x 10 running executors, poll interval 30s, over 60 s: " + total
                        + " reconciler requests/min " + byKind);
            }
        }
    }

    @Test
    void failureToReplacementLatency() throws Exception {
        try (FaultyApiServer server = new FaultyApiServer(); KubernetesClient client = server.client();
             KubeletSimulator kubelet = new KubeletSimulator(client, "default", pod -> Script.runsForever(Duration.ofMillis(20)))) {
            Submissions.submit(client, server.masterUrl(), "default", "app", "controller", 10, "spark.executor.maxNumFailures=1000",
                    "spark.kubernetes.allocation.batch.delay=1s");
            try (Reconciler reconciler = reconciler(client, TestReconcilerConfig.fast().withPollInterval(Duration.ofSeconds(30)))) {
                await().atMost(Duration.ofMinutes(1)).until(() -> running(client).size() == 10);
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    Thread.sleep(1200);
                    long before = executorCreates(server);
                    Pod victim = running(client).get(0);
                    long started = System.nanoTime();
                    kubelet.terminate(victim.getMetadata().getName(), 1, "Error");
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> executorCreates(server) > before);
                    millis.add((System.nanoTime() - started) / 1e6);
                    await().atMost(Duration.ofSeconds(30)).until(() -> running(client).size() == 10);
                }
                report(String.format("failure -> replacement created (batch.delay 1s, previous batch > 1s ago): p50 %.1f ms, p99 %.1f ms, max %.1f ms (40 failures)",
                        percentile(millis, 0.5), percentile(millis, 0.99), Collections.max(millis)));
            }
        }
    }

    static List<Pod> running(KubernetesClient client) {
        return client.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems().stream()
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getContainerStatuses().stream()
                        .allMatch(c -> c.getState() != null && c.getState().getRunning() != null))
                .collect(Collectors.toList());
    }

    /** The controller as its own process (the packaged jar) tracking 10,000 executor pods of 100 apps. */
    @Test
    void controllerRssWithTenThousandExecutorPods() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the jar first: mvn -B package -DskipTests");
        }
        try (FaultyApiServer server = new FaultyApiServer(); KubernetesClient client = server.client()) {
            for (int app = 0; app < 100; app++) {
                Pod driver = Submissions.submit(client, server.masterUrl(), "default", "app" + app, "controller", 100);
                client.pods().inNamespace("default").withName(driver.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
                        .editOrNewStatus().withPhase("Running").endStatus().build());
                client.pods().inNamespace("default").withName(driver.getMetadata().getName()).edit(p -> new PodBuilder(p).editMetadata()
                        .addToAnnotations(KsparkMetadata.LAST_EXECUTOR_ID, "100").endMetadata().build());
                String appId = driver.getMetadata().getLabels().get("spark-app-selector");
                for (int id = 1; id <= 100; id++) {
                    Pod executor = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                            .withName("app" + app + "-exec-" + id)
                            .addToLabels("spark-app-selector", appId).addToLabels("spark-role", "executor")
                            .addToLabels("spark-exec-id", Integer.toString(id)).addToLabels("spark-exec-resourceprofile-id", "0")
                            .addToLabels(KsparkMetadata.RECONCILER_LABEL, "controller").endMetadata()
                            .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("spark-kubernetes-executor")
                            .withImage("apache/spark:4.1.1").endContainer().endSpec().build()).create();
                    client.pods().inNamespace("default").withName(executor.getMetadata().getName()).editStatus(p -> new PodBuilder(p)
                            .editOrNewStatus().withPhase("Running").endStatus().build());
                }
            }
            for (String heap : List.of("", "-Xmx128m")) {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                List<String> command = new ArrayList<>(List.of("java"));
                if (!heap.isEmpty()) {
                    command.add(heap);
                }
                command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dkspark.leader-election.enabled=false", "-jar", jar.toString(),
                        "controller", "--master", "k8s://" + server.masterUrl()));
                Process controller = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Path.of("target/bench/controller.log").toFile())
                        .start();
                try {
                    long started = System.nanoTime();
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> ready(port));
                    double syncSeconds = (System.nanoTime() - started) / 1e9;
                    Thread.sleep(15_000);
                    Map<String, String> status = procStatus(controller.pid());
                    report(String.format("controller process (%s), 100 apps / 10,000 executor pods tracked: ready after %.1f s, VmRSS %s, VmHWM %s",
                            heap.isEmpty() ? "default JVM flags" : heap, syncSeconds, status.get("VmRSS"), status.get("VmHWM")));
                } finally {
                    controller.destroy();
                    controller.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    static boolean ready(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://localhost:" + port + "/q/health/ready").toURL().openConnection();
            connection.setConnectTimeout(200);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static Map<String, String> procStatus(long pid) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                values.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return values;
    }
}
