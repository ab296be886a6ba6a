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

    @Test
    void aWakeUpCenturiesAwayStillLeavesTheAppToTheNextEvent() {
        AtomicInteger cycles = new AtomicInteger();
        AppWorkQueue queue = new AppWorkQueue(key -> {
            cycles.incrementAndGet();
            return Uni.createFrom().item(Optional.of(java.time.Instant.parse("+300000000-01-01T00:00:00Z")));
        }, timers, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), clock);

        queue.trigger(APP);
        await().atMost(Duration.ofSeconds(5)).until(() -> cycles.get() == 1);
        queue.trigger(APP);

        await().atMost(Duration.ofSeconds(5)).until(() -> cycles.get() == 2);
    }

    @Test
    void anEventDuringTheCycleThatForgetsTheAppGetsACycleOfItsOwn() throws Exception {
        AtomicInteger cycles = new AtomicInteger();
        java.util.concurrent.CountDownLatch inFirstCycle = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch eventArrived = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService worker = Executors.newSingleThreadExecutor();
        AppWorkQueue[] queue = new AppWorkQueue[1];
        queue[0] = new AppWorkQueue(key -> Uni.createFrom().item(() -> {
            if (cycles.incrementAndGet() == 1) {
                inFirstCycle.countDown();
                try {
                    eventArrived.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                queue[0].forget(key); // as Reconciler does for an app that has ended
            }
            return Optional.<java.time.Instant>empty();
        }).runSubscriptionOn(worker), timers, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), clock);
        try {
            queue[0].trigger(APP);
            inFirstCycle.await();
            queue[0].trigger(APP);
            eventArrived.countDown();

            await().atMost(Duration.ofSeconds(5)).until(() -> cycles.get() == 2);
        } finally {
            worker.shutdownNow();
        }
    }
}
