package io.kspark.reconciler.io;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.ClusterEvent;
import io.kspark.reconciler.model.PodKind;
import io.kspark.reconciler.runtime.Backoff;
import io.kspark.testing.FaultyApiServer;
import io.smallrye.mutiny.subscription.Cancellable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PodSourceTest {

    FaultyApiServer server;
    KubernetesClient client;
    ExecutorService blocking;
    ScheduledExecutorService timers;

    @BeforeEach
    void start() {
        server = new FaultyApiServer();
        client = server.client();
        blocking = Executors.newFixedThreadPool(2);
        timers = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        timers.shutdownNow();
        client.close();
        server.close();
    }

    PodSource executors() {
        return new PodSource(client, PodKind.EXECUTOR, Optional.of("default"), Map.of("spark-role", "executor"), Map.of(),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)), blocking, timers, () -> { });
    }

    @Test
    void aSessionCancelledWhileListingOpensNoWatch() {
        var listsHeld = server.delay("GET", "/api/v1/namespaces/default/pods", 1, 500);
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        Cancellable subscription = executors().watched().subscribe().with(events::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> listsHeld.get() == 1);
        subscription.cancel();

        // The list returns after the cancel; no watch may follow it (nobody would ever close it).
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().stream().anyMatch(r -> !r.isWatch()));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> server.requests().stream().noneMatch(FaultyApiServer.Request::isWatch));
        assertThat(events).isEmpty();
    }

    @Test
    void watchesThatCloseAsSoonAsTheyOpenBackOffInsteadOfRelistingInALoop() {
        server.dropWatches("spark-role%3Dexecutor", 1000, 1);
        PodSource source = new PodSource(client, PodKind.EXECUTOR, Optional.of("default"), Map.of("spark-role", "executor"), Map.of(),
                new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2)), blocking, timers, () -> { });
        Cancellable subscription = source.watched().subscribe().with(e -> { });
        // 50, 100, 200, 400, 800 ms... about six sessions in two seconds; starting over at 50 ms each time would be ~30.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> lists() <= 10);
        subscription.cancel();
        assertThat(lists()).isGreaterThanOrEqualTo(3);
    }

    long lists() {
        return server.requests().stream().filter(r -> r.method().equals("GET") && !r.isWatch()).count();
    }

    @Test
    void aRunningSessionListsThenWatches() {
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        Cancellable subscription = executors().watched().subscribe().with(events::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().stream().anyMatch(FaultyApiServer.Request::isWatch));
        assertThat(events).first().isInstanceOf(ClusterEvent.Listed.class);
        subscription.cancel();
    }
}
