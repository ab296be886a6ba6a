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
    void aRunningSessionListsThenWatches() {
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        Cancellable subscription = executors().watched().subscribe().with(events::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requests().stream().anyMatch(FaultyApiServer.Request::isWatch));
        assertThat(events).first().isInstanceOf(ClusterEvent.Listed.class);
        subscription.cancel();
    }
}
