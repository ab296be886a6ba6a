package io.kspark.reconciler.runtime;

import io.kspark.reconciler.Pods;
import io.kspark.reconciler.model.ClusterEvent;
import io.kspark.reconciler.model.ClusterState;
import io.kspark.reconciler.model.PodKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerMetricsTest {

    static ClusterState withOneApp() {
        ClusterState drivers = ClusterState.empty().apply(new ClusterEvent.Listed(PodKind.DRIVER, Optional.empty(),
                List.of(Pods.driver("Running", "2")), "1")).state();
        return drivers.apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.empty(),
                List.of(Pods.executor(1, "Running", null), Pods.executor(2, "Pending", null)), "2")).state();
    }

    @Test
    void theGaugesReadTheReconcilerObservedLastEvenThroughANewMetricsObject() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // A sidecar: one reconciler (and here even one metrics object) per application, on one registry.
        new ReconcilerMetrics(registry).observe(ClusterState::empty);
        assertThat(registry.get("kspark.applications").gauge().value()).isZero();
        ClusterState second = withOneApp();
        new ReconcilerMetrics(registry).observe(() -> second);
        System.gc();
        assertThat(registry.get("kspark.applications").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("kspark.executors").tag("state", "running").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("kspark.executors").tag("state", "pending").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("kspark.watch.restarts").tag("kind", "driver").counter().count()).isZero();
    }
}
