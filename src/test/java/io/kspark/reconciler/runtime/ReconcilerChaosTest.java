package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.testing.FaultyApiServer;
import io.kspark.testing.KubeletSimulator;
import io.kspark.testing.KubeletSimulator.Script;
import io.kspark.testing.ReconcilerDump;
import io.kspark.testing.Submissions;
import io.kspark.testing.TestReconcilerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seeded chaos: executors that fail and succeed at random, injected API errors on every verb, expired and dropped
 * watches, target changes up and down and a reconciler restart, all in one run. Whatever the order, the end state
 * must be Spark's: exactly the (highest) target running, every executor id used once, every failure counted once, and
 * nothing left once the driver ends. A failing seed is reproducible: the random choices come from it (the
 * interleaving with the reconciler's threads does not, so run it a few times).
 */
class ReconcilerChaosTest {

    static final Duration CONVERGE = Duration.ofSeconds(40);
    static final int MOST_EVER = 7;
    private static final Pattern CREATED_ID = Pattern.compile("\"spark-exec-id\"\\s*:\\s*\"(\\d+)\"");

    FaultyApiServer server;
    KubernetesClient client;
    Reconciler reconciler;
    KubeletSimulator kubelet;
    Watch failureWatch;
    final Set<String> failedPods = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        server = new FaultyApiServer();
        client = server.client();
        // The test's own record of which executors really failed; an unlabelled watch, so no injected watch fault hits it.
        failureWatch = client.pods().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if ("executor".equals(pod.getMetadata().getLabels().get("spark-role")) && pod.getStatus() != null
                        && "Failed".equals(pod.getStatus().getPhase())) {
                    failedPods.add(pod.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (reconciler != null) {
            reconciler.close();
        }
        kubelet.close();
        failureWatch.close();
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 23, 47, 17})
    void convergesToTheTargetWithEveryIdUsedOnceAndEveryFailureCountedOnce(long seed) {
        Random random = new Random(seed);
        int firstTarget = 2 + random.nextInt(4);
        Pod driver = Submissions.submit(client, server.masterUrl(), "default", "spark-pi", "controller", firstTarget,
                "spark.kubernetes.allocation.batch.size=" + (1 + random.nextInt(3)),
                "spark.kubernetes.allocation.batch.delay=200ms", "spark.executor.maxNumFailures=1000");
        String driverName = driver.getMetadata().getName();

        AtomicBoolean chaos = new AtomicBoolean(true);
        Random scripts = new Random(seed * 31);
        kubelet = new KubeletSimulator(client, "default", pod -> "driver".equals(pod.getMetadata().getLabels().get("spark-role"))
                ? Script.runsForever(Duration.ofMillis(50)) : executorScript(scripts, chaos.get()));

        injectFaults(random, driverName);
        reconciler = startReconciler();
        int target = firstTarget;
        for (int round = 0; round < 6; round++) {
            awaitProgress(2 + random.nextInt(4), target);
            target = random.nextInt(MOST_EVER);
            setTarget(driverName, target);
            if (round % 2 == 1) {
                awaitProgress(1 + random.nextInt(3), target);
                reconciler.close();
                injectFaults(random, driverName);
                reconciler = startReconciler();
            }
        }
        chaos.set(false);
        // Spark's allocator never removes running executors (the driver does, by killing them), so only a final
        // target above every earlier one has one right answer: exactly that many running.
        int finalTarget = MOST_EVER;
        setTarget(driverName, finalTarget);

        awaitOrDump(() -> converged(finalTarget), Duration.ofMillis(1500));
        List<Long> createdIds = createdExecutorIds();
        System.out.printf("chaos seed %d: %d executors created, %d deletes, %d failed, %d error answers%n", seed, createdIds.size(),
                count("DELETE", 200), failedPods.size(), server.requests().stream().filter(r -> r.status() >= 409).count());
        assertThat(createdIds).as("no executor id is ever created twice").doesNotHaveDuplicates();
        assertThat(live()).extracting(this::executorId).doesNotHaveDuplicates().hasSize(finalTarget)
                .allSatisfy(id -> assertThat(createdIds).contains(id));
        assertThat(live()).allSatisfy(pod -> assertThat(pod.getMetadata().getOwnerReferences())
                .anySatisfy(owner -> assertThat(owner.getName()).isEqualTo(driverName)));
        var annotations = driver().getMetadata().getAnnotations();
        long highWater = Long.parseLong(annotations.get(KsparkMetadata.LAST_EXECUTOR_ID));
        assertThat(createdIds).allSatisfy(id -> assertThat(id).isLessThanOrEqualTo(highWater));
        assertThat(Integer.parseInt(annotations.getOrDefault(KsparkMetadata.EXECUTOR_FAILURES, "0")))
                .as("failures counted once each (failed pods: %s)", failedPods).isEqualTo(failedPods.size());

        kubelet.terminate(driverName, 0, "Completed");
        awaitOrDump(() -> executors().isEmpty(), Duration.ZERO);
    }

    /** Half the executors started during the chaos end by themselves, after running long enough never to be excess. */
    private static Script executorScript(Random scripts, boolean chaos) {
        synchronized (scripts) {
            // Some are slow to schedule, so that a lowered target finds pending executors to delete.
            Duration pending = Duration.ofMillis(scripts.nextInt(3) == 0 ? 1500 + scripts.nextInt(1500) : 50 + scripts.nextInt(250));
            if (!chaos || scripts.nextInt(2) != 0) {
                return Script.runsForever(pending);
            }
            Duration running = Duration.ofMillis(700 + scripts.nextInt(1000));
            return scripts.nextBoolean() ? Script.failsAfter(pending, running, scripts.nextBoolean() ? 1 : 137)
                    : Script.succeedsAfter(pending, running);
        }
    }

    /** A few errors on each verb the reconciler uses, a slow create, and watches that expire or drop. */
    private void injectFaults(Random random, String driverName) {
        server.fail("POST", "/api/v1/namespaces/default/pods", 1 + random.nextInt(3), random.nextBoolean() ? 500 : 429);
        server.fail("PATCH", "/api/v1/namespaces/default/pods/" + driverName, 1 + random.nextInt(2), random.nextBoolean() ? 409 : 500);
        server.fail("DELETE", "/api/v1/namespaces/default/pods/", 1 + random.nextInt(2), 500);
        server.fail("GET", "/api/v1/pods?", random.nextInt(2), 500);
        server.delay("POST", "/api/v1/namespaces/default/pods", random.nextInt(2), 200 + random.nextInt(800));
        server.expireWatches("spark-role%3Dexecutor", 1 + random.nextInt(2));
        server.dropWatches("spark-role%3Ddriver", random.nextInt(2), 100 + random.nextInt(400));
    }

    private Reconciler startReconciler() {
        Reconciler started = new Reconciler(client, Scope.controller(List.of()), TestReconcilerConfig.fast().withPollInterval(Duration.ofSeconds(1)),
                new ReconcilerMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), () -> true);
        started.start();
        return started;
    }

    /**
     * Waits for a few more writes, or for the app to settle (then no more writes come): every executor running and
     * at least the target, as running executors above a lowered target stay (the driver kills those, not the allocator).
     */
    private void awaitProgress(int writes, int target) {
        long before = writes();
        await().atMost(Duration.ofSeconds(15)).until(() -> writes() >= before + writes || settled(target));
    }

    private boolean settled(int target) {
        List<Pod> executors = executors();
        return executors.size() >= target && executors.stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    }

    private long count(String method, int status) {
        return server.requests().stream().filter(r -> r.method().equals(method) && r.status() == status).count();
    }

    private long writes() {
        return server.requests().stream().filter(r -> !r.method().equals("GET") && !r.path().contains("/status")).count();
    }

    private void setTarget(String driverName, int target) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.pods().inNamespace("default").withName(driverName).edit(p -> new PodBuilder(p).editMetadata()
                        .addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, Integer.toString(target)).endMetadata().build());
                return;
            } catch (KubernetesClientException e) {
                if (attempt == 5) {
                    throw e; // an injected fault may hit the test's own write; more than a few is a broken server
                }
            }
        }
    }

    private boolean converged(int target) {
        List<Pod> executors = executors();
        return executors.size() == target && executors.stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
    }

    private List<Pod> live() {
        return executors().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
    }

    private List<Pod> executors() {
        return client.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems();
    }

    private Pod driver() {
        return client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems().get(0);
    }

    private long executorId(Pod pod) {
        return Long.parseLong(pod.getMetadata().getLabels().get("spark-exec-id"));
    }

    /** Ids of the executor pods the API server accepted, in order. */
    private List<Long> createdExecutorIds() {
        List<Long> ids = new ArrayList<>();
        for (FaultyApiServer.Request request : server.requests()) {
            if (request.method().equals("POST") && request.path().startsWith("/api/v1/namespaces/default/pods") && request.status() == 201) {
                Matcher id = CREATED_ID.matcher(request.body());
                if (id.find()) {
                    ids.add(Long.parseLong(id.group(1)));
                }
            }
        }
        return Collections.unmodifiableList(ids);
    }

    /** Awaits a condition (that must then hold for {@code steady}); on timeout prints what was written and what the reconciler believes. */
    private void awaitOrDump(Callable<Boolean> condition, Duration steady) {
        try {
            await().during(steady).atMost(CONVERGE).until(condition);
        } catch (ConditionTimeoutException timeout) {
            server.requests().stream().filter(r -> !r.method().equals("GET") && !r.path().contains("/status"))
                    .forEach(r -> System.err.println("REQ " + r.method() + " " + r.path() + " " + r.status()));
            System.err.println(ReconcilerDump.describe(client, "default", List.of(reconciler)));
            throw timeout;
        }
    }
}
