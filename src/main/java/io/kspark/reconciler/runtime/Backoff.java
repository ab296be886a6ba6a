package io.kspark.reconciler.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The single retry policy: exponential from {@code initial} to {@code max}, with 20% jitter. */
public record Backoff(Duration initial, Duration max) {

    public Duration delay(int attempt) {
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(base, max.toMillis());
        long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, capped - jitter));
    }
}
