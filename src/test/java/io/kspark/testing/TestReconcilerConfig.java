package io.kspark.testing;

import io.kspark.reconciler.runtime.KsparkConfig;

import java.time.Duration;

/** Reconciler settings for plain JUnit tests (no Quarkus config). */
public record TestReconcilerConfig(Duration pollInterval, Duration backoffInitial, Duration backoffMax, int writeAttempts, int ioThreads)
        implements KsparkConfig.Reconciler {

    public static TestReconcilerConfig fast() {
        return new TestReconcilerConfig(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(1), 3, 4);
    }

    public TestReconcilerConfig withPollInterval(Duration interval) {
        return new TestReconcilerConfig(interval, backoffInitial, backoffMax, writeAttempts, ioThreads);
    }
}
