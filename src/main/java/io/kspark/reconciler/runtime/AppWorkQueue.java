package io.kspark.reconciler.runtime;

import io.kspark.reconciler.model.AppKey;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs one reconcile cycle per application at a time. Triggers that arrive while a cycle runs
 * collapse into one more cycle; a cycle may ask to be woken at a time; a failed cycle is retried with
 * the backoff policy (the only place cycles back off).
 */
public final class AppWorkQueue {

    private static final Logger LOG = Logger.getLogger(AppWorkQueue.class);

    private final Function<AppKey, Uni<Optional<Instant>>> work;
    private final ScheduledExecutorService timers;
    private final Backoff backoff;
    private final Clock clock;
    static final Duration MIN_WAKE_UP_DELAY = Duration.ofMillis(50);
    /**
     * The furthest a timer is set: a cycle with nothing to do asks again, and a wake-up far off (a hand-edited
     * heartbeat in the year 300000000, say) must not overflow the timer's arithmetic.
     */
    static final Duration MAX_WAKE_UP_DELAY = Duration.ofHours(1);

    private final Map<AppKey, Slot> slots = new ConcurrentHashMap<>();

    /** Per-app bookkeeping: whether a cycle runs, whether another is wanted, the next timer. */
    private static final class Slot {
        final AtomicBoolean running = new AtomicBoolean();
        final AtomicBoolean dirty = new AtomicBoolean();
        volatile ScheduledFuture<?> timer;
        volatile Instant timerAt;
        volatile int failures;
        volatile Instant notBefore = Instant.MIN;
    }

    public AppWorkQueue(Function<AppKey, Uni<Optional<Instant>>> work, ScheduledExecutorService timers, Backoff backoff, Clock clock) {
        this.work = work;
        this.timers = timers;
        this.backoff = backoff;
        this.clock = clock;
    }

    public void trigger(AppKey key) {
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        slot.dirty.set(true);
        drain(key, slot);
    }

    /** Runs a cycle at {@code at} (or earlier if triggered); keeps only the earliest pending timer. */
    public void triggerAt(AppKey key, Instant requested) {
        Instant latest = clock.instant().plus(MAX_WAKE_UP_DELAY);
        Instant at = requested.isAfter(latest) ? latest : requested;
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        synchronized (slot) {
            if (slot.timerAt != null && !at.isBefore(slot.timerAt)) {
                return;
            }
            if (slot.timer != null) {
                slot.timer.cancel(false);
            }
            // Round up: a timer that fires early would find the backoff not yet over.
            long delay = Math.max(0, Duration.between(clock.instant(), at).plusNanos(999_999).toMillis());
            slot.timerAt = at;
            slot.timer = timers.schedule(() -> {
                synchronized (slot) {
                    slot.timerAt = null;
                    slot.timer = null;
                }
                trigger(key);
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    public void forget(AppKey key) {
        Slot slot = slots.remove(key);
        if (slot != null && slot.timer != null) {
            slot.timer.cancel(false);
        }
    }

    public int size() {
        return slots.size();
    }

    private void drain(AppKey key, Slot slot) {
        if (clock.instant().isBefore(slot.notBefore)) {
            // Backing off after a failure: the pending timer runs the next cycle.
            triggerAt(key, slot.notBefore);
            return;
        }
        if (!slot.running.compareAndSet(false, true)) {
            return;
        }
        if (!slot.dirty.getAndSet(false)) {
            slot.running.set(false);
            if (slot.dirty.get()) {
                drain(key, slot);
            }
            return;
        }
        Uni<Optional<Instant>> cycle;
        try {
            cycle = work.apply(key);
        } catch (RuntimeException e) {
            cycle = Uni.createFrom().failure(e);
        }
        // Whatever a callback throws, the slot is released: a slot left running would take no cycle ever again.
        cycle.subscribe().with(
                wakeUp -> {
                    try {
                        slot.failures = 0;
                        slot.notBefore = Instant.MIN;
                        wakeUp.ifPresent(at -> triggerAt(key, notSooner(at)));
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "app=%s could not schedule its next cycle", key);
                        retryLater(key, slot, e);
                    } finally {
                        finish(key, slot);
                    }
                },
                failure -> {
                    try {
                        retryLater(key, slot, failure);
                    } finally {
                        finish(key, slot);
                    }
                });
    }

    private void retryLater(AppKey key, Slot slot, Throwable failure) {
        slot.failures++;
        Duration delay = backoff.delay(slot.failures);
        LOG.debugf("app=%s cycle failed (attempt %d), retrying in %d ms: %s", key, slot.failures, delay.toMillis(), failure.getMessage());
        slot.notBefore = clock.instant().plus(delay);
        slot.dirty.set(true);
        triggerAt(key, slot.notBefore);
    }

    /**
     * A cycle that asks to run again at once, every time, would spin a core; a wake-up is never sooner than
     * {@link #MIN_WAKE_UP_DELAY} after the cycle that asked for it (events still trigger cycles at once).
     */
    private Instant notSooner(Instant at) {
        Instant earliest = clock.instant().plus(MIN_WAKE_UP_DELAY);
        return at.isBefore(earliest) ? earliest : at;
    }

    private void finish(AppKey key, Slot slot) {
        slot.running.set(false);
        if (!slot.dirty.get()) {
            return;
        }
        // Re-enter on the timer thread so a burst never grows the stack.
        if (slots.get(key) == slot) {
            timers.execute(() -> drain(key, slot));
        } else {
            // The cycle forgot the app while an event for it came in: that event is newer than what the cycle saw.
            timers.execute(() -> trigger(key));
        }
    }
}
