package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The single retry policy: exponential from {@code initial} to {@code max}, with 20% jitter. */
public record Backoff(Duration initial, Duration max) {

    /** What is worth trying again: throttling (429), server errors (5xx) and no answer at all (timeouts, refused connections). */
    public static boolean retries(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code == 429 || code >= 500;
    }

    public Duration delay(int attempt) {
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(base, max.toMillis());
        long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, capped - jitter));
    }
}
