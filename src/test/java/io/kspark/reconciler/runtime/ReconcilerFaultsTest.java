package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.ExecutorState;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.testing.FaultyApiServer;
import io.kspark.testing.KubeletSimulator;
import io.kspark.testing.KubeletSimulator.Script;
import io.kspark.testing.ReconcilerDump;
import io.kspark.testing.Submissions;
import io.kspark.testing.TestReconcilerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reliability: API errors, expired and dropped watches, restarts and hand-overs converge without duplicates or id reuse. */
class ReconcilerFaultsTest {

    static final Duration WAIT = Duration.ofSeconds(25);

    FaultyApiServer server;
    KubernetesClient client;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new FaultyApiServer();
        client = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        List<AutoCloseable> newestFirst = new ArrayList<>(closeables);
        java.util.Collections.reverse(newestFirst);
        for (AutoCloseable c : newestFirst) {
            c.close();
        }
        client.close();
        server.close();
    }

    Reconciler reconciler(TestReconcilerConfig config, SimpleMeterRegistry registry, AtomicBoolean leader) {
        Reconciler reconciler = new Reconciler(client, Scope.controller(List.of()), config, new ReconcilerMetrics(registry), Clock.systemUTC(),
                leader::get);
        closeables.add(reconciler);
        started.add(reconciler);
        reconciler.start();
        return reconciler;
    }

    Reconciler reconciler() {
        return reconciler(TestReconcilerConfig.fast(), new SimpleMeterRegistry(), new AtomicBoolean(true));
    }

    KubeletSimulator kubelet(Script executors) {
        KubeletSimulator kubelet = new KubeletSimulator(client, "default",
                pod -> "driver".equals(pod.getMetadata().getLabels().get("spark-role")) ? Script.runsForever(Duration.ofMillis(50)) : executors);
        closeables.add(kubelet);
        return kubelet;
    }

    final List<Reconciler> started = new ArrayList<>();

    /** Awaits a condition; on timeout prints the writes the server saw and what each reconciler believes. */
    void awaitOrDump(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(WAIT).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException timeout) {
            server.requests().stream().filter(r -> !r.method().equals("GET") && !r.path().contains("/status"))
                    .forEach(r -> System.err.println("REQ " + r.method() + " " + r.path() + " " + r.status() + " "
                            + r.body().replaceAll(".*(spark-exec-id\\\":\\\"\\d+).*", "$1").replaceAll(".*(last-executor-id[^,]*).*", "$1")));
            System.err.println(ReconcilerDump.describe(client, "default", started));
            throw timeout;
        }
    }

    Pod submit(int executors, String... conf) {
        return Submissions.submit(client, server.masterUrl(), "default", "spark-pi", "controller", executors, conf);
    }

    List<Pod> executors() {
        return client.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems();
    }

    List<String> executorIds() {
        return executors().stream().map(p -> p.getMetadata().getLabels().get("spark-exec-id")).sorted().toList();
    }

    Pod driver() {
        return client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
    }

    @Test
    void readinessDropsWhileListsFailAndReturnsOnceTheyAnswerAgain() {
        submit(1);
        Reconciler reconciler = reconciler(TestReconcilerConfig.fast().withPollInterval(Duration.ofMillis(300)), new SimpleMeterRegistry(),
                new AtomicBoolean(true));
        awaitOrDump(reconciler::fresh);

        server.fail("GET", "/api/v1/pods", 100_000, 503); // every list (watches stay up: quiet watches prove nothing)
        awaitOrDump(() -> !reconciler.fresh());
        assertThat(reconciler.synced()).as("what it learnt stays; only its freshness is gone").isTrue();
        assertThat(reconciler.staleSources()).isPositive();

        server.clearFaults();
        awaitOrDump(reconciler::fresh);
        assertThat(reconciler.staleSources()).isZero();
    }

    @Test
    void serverErrorsAndThrottlingOnCreatesAreRetriedWithoutDuplicates() {
        submit(4);
        server.fail("POST", "/api/v1/namespaces/default/pods", 2, 500);
        server.fail("POST", "/api/v1/namespaces/default/pods", 1, 429);
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        reconciler();
        awaitOrDump(() -> executors().size() == 4);
        assertThat(executorIds()).doesNotHaveDuplicates().hasSize(4);
        assertThat(server.requests()).filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/pods")).extracting(r -> r.status())
                .contains(500, 429, 201);
    }

    @Test
    void expiredWatchesRelistAndStillConverge() {
        submit(3);
        server.expireWatches("spark-role%3Dexecutor", 2);
        server.expireWatches("spark-role%3Ddriver", 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        Reconciler reconciler = reconciler(TestReconcilerConfig.fast(), registry, new AtomicBoolean(true));
        await().atMost(WAIT).until(() -> executors().size() == 3);
        await().atMost(WAIT).until(() -> reconciler.state().apps().values().stream()
                .flatMap(a -> a.executors().values().stream()).filter(e -> e.state() == ExecutorState.RUNNING).count() == 3);
        assertThat(registry.find("kspark.watch.restarts").counters()).isNotEmpty();
        double restarts = registry.find("kspark.watch.restarts").counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(restarts).isGreaterThanOrEqualTo(3);
        long lists = server.requests().stream().filter(r -> r.method().equals("GET") && !r.isWatch() && r.path().startsWith("/api/v1/pods?")).count();
        assertThat(lists).as("each expired watch starts over with a list").isGreaterThanOrEqualTo(5);
    }

    @Test
    void droppedWatchesReconnectAndChangesAreNotLost() {
        submit(2);
        server.dropWatches("spark-role%3Dexecutor", 3, 100);
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Reconciler reconciler = reconciler(TestReconcilerConfig.fast().withPollInterval(Duration.ofSeconds(1)), registry,
                new AtomicBoolean(true));
        awaitOrDump(() -> reconciler.state().apps().values().stream()
                .flatMap(a -> a.executors().values().stream()).filter(e -> e.state() == ExecutorState.RUNNING).count() == 2);
        assertThat(executorIds()).containsExactly("1", "2");
        // Each drop is re-opened by kspark (not inside the client), so it is counted.
        await().atMost(WAIT).until(() -> registry.get("kspark.watch.restarts").tag("kind", "executor").counter().count() >= 3);
    }

    @Test
    void failingListsNeverKillTheStream() {
        submit(2);
        server.fail("GET", "/api/v1/pods?", 4, 500);
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        reconciler();
        await().atMost(WAIT).until(() -> executors().size() == 2);
    }

    @Test
    void restartMidAllocationCreatesNoDuplicatesAndReusesNoIds() throws Exception {
        submit(6, "spark.kubernetes.allocation.batch.size=2", "spark.kubernetes.allocation.batch.delay=500ms");
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        Reconciler first = reconciler();
        await().atMost(WAIT).until(() -> executors().size() >= 2);
        first.close();
        closeables.remove(first);
        int before = executors().size();
        assertThat(before).isLessThan(6);
        reconciler();
        awaitOrDump(() -> executors().size() == 6);
        Thread.sleep(1000);
        assertThat(executors()).hasSize(6);
        assertThat(executorIds()).doesNotHaveDuplicates();
        assertThat(driver().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.LAST_EXECUTOR_ID, "6");
    }

    @Test
    void idsPersistedBeforeACrashAreNeverReused() {
        submit(2);
        server.fail("POST", "/api/v1/namespaces/default/pods", 1000, 500);
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        Reconciler first = reconciler();
        await().atMost(WAIT).until(() -> driver().getMetadata().getAnnotations().containsKey(KsparkMetadata.LAST_EXECUTOR_ID));
        first.close();
        closeables.remove(first);
        long persisted = Long.parseLong(driver().getMetadata().getAnnotations().get(KsparkMetadata.LAST_EXECUTOR_ID));
        assertThat(executors()).isEmpty();
        server.clearFaults();
        reconciler();
        awaitOrDump(() -> executors().size() == 2);
        assertThat(executors()).allSatisfy(p -> assertThat(Long.parseLong(p.getMetadata().getLabels().get("spark-exec-id"))).isGreaterThan(persisted));
    }

    @Test
    void aFailureSeenInACycleWhoseAnnotationWriteFailedIsStillCounted() {
        submit(2);
        KubeletSimulator kubelet = kubelet(Script.runsForever(Duration.ofMillis(50)));
        reconciler();
        awaitOrDump(() -> executors().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count() == 2);
        String driver = driver().getMetadata().getName();
        // The cycle that sees the failure first fails to write the driver's annotations.
        server.fail("PATCH", "/api/v1/namespaces/default/pods/" + driver, 1, 409);
        kubelet.terminate(executors().stream().filter(p -> p.getMetadata().getLabels().get("spark-exec-id").equals("2")).findFirst()
                .orElseThrow().getMetadata().getName(), 137, "OOMKilled");
        awaitOrDump(() -> executorIds().equals(List.of("1", "3")));
        assertThat(server.requests()).filteredOn(r -> r.method().equals("PATCH") && r.path().contains(driver)).extracting(r -> r.status())
                .contains(409);
        assertThat(driver().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_FAILURES, "1")
                .containsEntry(KsparkMetadata.LAST_EXECUTOR_ID, "3");
    }

    @Test
    void aConflictPlansAgainstTheDriverItReadNotAStaleWatch() {
        Pod driver = submit(2);
        KubeletSimulator kubelet = kubelet(Script.runsForever(Duration.ofMillis(50)));
        awaitOrDump(() -> driver().getStatus() != null && "Running".equals(driver().getStatus().getPhase()));
        // From here on the driver watch delivers nothing (a watch that lags or lost an event); polls are far away.
        server.dropWatches("spark-role%3Ddriver", 1, 60_000);
        reconciler(TestReconcilerConfig.fast().withPollInterval(Duration.ofMinutes(5)), new SimpleMeterRegistry(), new AtomicBoolean(true));
        awaitOrDump(() -> executorIds().equals(List.of("1", "2")));

        // Someone raises the target; the reconciler's watch does not tell it.
        client.pods().inNamespace("default").withName(driver.getMetadata().getName()).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editMetadata().addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, "3").endMetadata().build());
        // An executor fails: the next cycle's annotation write finds the driver changed, and the retry uses what it read.
        kubelet.terminate(executors().stream().filter(p -> p.getMetadata().getLabels().get("spark-exec-id").equals("1")).findFirst()
                .orElseThrow().getMetadata().getName(), 1, "Error");
        awaitOrDump(() -> executorIds().equals(List.of("2", "3", "4")));
        assertThat(driver().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_FAILURES, "1")
                .containsEntry(KsparkMetadata.LAST_EXECUTOR_ID, "4");
    }

    /** Executors 1 and 2 running, 3 pending for good; new executors unprotected, so a lower target may take 3 at once. */
    String threeExecutorsWithTheThirdPending(TestReconcilerConfig config) {
        submit(3, "spark.dynamicAllocation.executorIdleTimeout=0s");
        closeables.add(new KubeletSimulator(client, "default", pod -> "3".equals(pod.getMetadata().getLabels().get("spark-exec-id"))
                ? Script.staysPending() : Script.runsForever(Duration.ofMillis(50))));
        Reconciler reconciler = reconciler(config, new SimpleMeterRegistry(), new AtomicBoolean(true));
        awaitOrDump(() -> reconciler.state().apps().values().stream().flatMap(a -> a.executors().values().stream())
                .map(e -> e.id() + ":" + e.state()).sorted().toList().equals(List.of("1:RUNNING", "2:RUNNING", "3:PENDING")));
        return executors().stream().filter(p -> p.getMetadata().getLabels().get("spark-exec-id").equals("3")).findFirst()
                .orElseThrow().getMetadata().getName();
    }

    void setTarget(String target) {
        client.pods().inNamespace("default").withName(driver().getMetadata().getName()).edit(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editMetadata().addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, target).endMetadata().build());
    }

    long requests(String method, String podName) {
        return server.requests().stream().filter(r -> r.method().equals(method) && r.path().endsWith("/pods/" + podName)).count();
    }

    @Test
    void aPendingExecutorThatStartedUnseenIsNotDeletedForALowerTarget() {
        // Executor changes reach the reconciler only by its polls, 3 s apart.
        server.dropWatches("spark-role%3Dexecutor", 100, 60_000);
        String third = threeExecutorsWithTheThirdPending(TestReconcilerConfig.fast().withPollInterval(Duration.ofSeconds(3)));
        // Executor 3 starts just after a poll; before the next one the target drops, and the reconciler still sees it pending.
        client.pods().inNamespace("default").withName(third).editStatus(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editOrNewStatus().withPhase("Running").endStatus().build());
        long reads = requests("GET", third);
        setTarget("2");

        await().atMost(WAIT).until(() -> requests("GET", third) > reads);
        await().during(Duration.ofSeconds(4)).atMost(WAIT).until(() -> executorIds().equals(List.of("1", "2", "3")));
        assertThat(requests("DELETE", third)).as("a running executor is not the allocator's to delete").isZero();
    }

    @Test
    void aDeleteRefusedBecauseThePodChangedIsPlannedAgain() {
        String third = threeExecutorsWithTheThirdPending(TestReconcilerConfig.fast());
        // What a real API server answers when the delete's resourceVersion precondition no longer holds.
        server.fail("DELETE", "/pods/" + third, 1, 409);
        setTarget("2");

        awaitOrDump(() -> executorIds().equals(List.of("1", "2")));
        assertThat(server.requests()).filteredOn(r -> r.method().equals("DELETE") && r.path().endsWith("/pods/" + third))
                .extracting(r -> r.status()).containsExactly(409, 200);
        assertThat(server.requests()).filteredOn(r -> r.method().equals("DELETE") && r.path().endsWith("/pods/" + third))
                .allSatisfy(r -> assertThat(r.body()).contains("\"preconditions\":{\"resourceVersion\":"));
    }

    @Test
    void aFollowerWritesNothingUntilItLeads() {
        submit(2);
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        AtomicBoolean leads = new AtomicBoolean(false);
        Reconciler follower = reconciler(TestReconcilerConfig.fast(), new SimpleMeterRegistry(), leads);
        await().atMost(WAIT).until(() -> follower.synced() && "Running".equals(driver().getStatus().getPhase()));
        // Not even the executor ConfigMap a context load would create.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> executors().isEmpty()
                && client.configMaps().inNamespace("default").withLabel("spark-role", "executor").list().getItems().isEmpty());
        leads.set(true);
        follower.resyncAll();
        await().atMost(WAIT).until(() -> executors().size() == 2);
    }

    @Test
    void leaderHandOverConvergesWithoutDuplicates() throws Exception {
        submit(4, "spark.kubernetes.allocation.batch.size=2", "spark.kubernetes.allocation.batch.delay=300ms");
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        AtomicBoolean firstLeads = new AtomicBoolean(true);
        AtomicBoolean secondLeads = new AtomicBoolean(false);
        Reconciler first = reconciler(TestReconcilerConfig.fast(), new SimpleMeterRegistry(), firstLeads);
        Reconciler second = reconciler(TestReconcilerConfig.fast(), new SimpleMeterRegistry(), secondLeads);
        await().atMost(WAIT).until(() -> executors().size() >= 2);
        firstLeads.set(false);
        secondLeads.set(true);
        second.resyncAll();
        await().atMost(WAIT).until(() -> executors().size() == 4);
        Thread.sleep(800);
        assertThat(executors()).hasSize(4);
        assertThat(new HashSet<>(executorIds())).hasSize(4);
        assertThat(first.synced()).isTrue();
    }

    @Test
    void aLeaderThatLosesTheLeaseMidCycleSendsNoFurtherWrites() {
        submit(2);
        kubelet(Script.runsForever(Duration.ofMillis(50)));
        // Both executor creates of the first leader's batch are slow to be answered.
        AtomicInteger held = server.delay("POST", "/api/v1/namespaces/default/pods", 2, 1500);
        AtomicBoolean firstLeads = new AtomicBoolean(true);
        AtomicBoolean secondLeads = new AtomicBoolean(false);
        reconciler(TestReconcilerConfig.fast(), new SimpleMeterRegistry(), firstLeads);
        Reconciler second = reconciler(TestReconcilerConfig.fast(), new SimpleMeterRegistry(), secondLeads);
        await().atMost(WAIT).until(() -> held.get() == 1);

        // The Lease moves while the first create is in flight. The new leader waits out that request (LeaderElection's
        // hand-over delay), then plans with what it sees: executor 1, and ids up to 2 spent.
        firstLeads.set(false);
        await().atMost(WAIT).until(() -> second.state().apps().values().stream().anyMatch(app -> app.executors().containsKey(1L)));
        secondLeads.set(true);
        second.resyncAll();

        awaitOrDump(() -> executors().size() == 2);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> executors().size() == 2);
        assertThat(executorIds()).as("the old leader sent no create after it lost the Lease").containsExactly("1", "3");
    }
}
