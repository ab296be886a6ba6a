package io.kspark.reconciler.runtime;

import io.kspark.reconciler.model.AppKey;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AppWorkQueueTest {

    static final AppKey APP = new AppKey("ns", "spark-app");

    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final Clock clock = Clock.systemUTC();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void aCycleThatAlwaysAsksForNowDoesNotSpin() {
        AtomicInteger cycles = new AtomicInteger();
        AppWorkQueue queue = new AppWorkQueue(key -> {
            cycles.incrementAndGet();
            return Uni.createFrom().item(Optional.of(clock.instant().minusSeconds(1)));
        }, timers, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), clock);

        queue.trigger(APP);
        await().atMost(Duration.ofSeconds(5)).until(() -> cycles.get() >= 1);
        int from = cycles.get();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> cycles.get() >= from + 5);
        // One cycle per MIN_WAKE_UP_DELAY (50 ms) at most: five take 250 ms, not a few microseconds.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aWakeUpInTheFutureRunsTheNextCycleThen() {
        AtomicInteger cycles = new AtomicInteger();
        java.util.List<java.time.Instant> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        AppWorkQueue queue = new AppWorkQueue(key -> {
            runs.add(clock.instant());
            return Uni.createFrom().item(cycles.incrementAndGet() == 1 ? Optional.of(clock.instant().plusMillis(300)) : Optional.empty());
        }, timers, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), clock);

        queue.trigger(APP);
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
        assertThat(Duration.between(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
