package io.kspark.reconciler.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.reconciler.Pods;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.kspark.reconciler.Pods.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/** Spark's allocator waits for a Running driver pod to be Ready, at most spark.kubernetes.allocation.driver.readinessTimeout. */
class DriverGateTest {

    static final Instant STARTED = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A Running driver whose Spark container started at {@link #STARTED}, with the pod's Ready condition as given (null: none). */
    static Pod runningDriver(String ready) {
        PodBuilder pod = new PodBuilder(Pods.driver("Running", "2")).editStatus()
                .addNewContainerStatus().withName("spark-kubernetes-driver").withReady("True".equals(ready))
                    .withNewState().withNewRunning().withStartedAt(STARTED.toString()).endRunning().endState().endContainerStatus()
                .endStatus();
        if (ready != null) {
            pod.editStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
        }
        return pod.build();
    }

    @Test
    void aReadyDriverOpensAtOnce() {
        assertThat(DriverGate.of(runningDriver("True"), TIMEOUT, STARTED)).isEqualTo(new DriverGate(true, Optional.empty()));
    }

    @Test
    void aDriverThatIsNotReadyIsWaitedForUntilTheTimeout() {
        Pod notReady = runningDriver("False");
        assertThat(DriverGate.of(notReady, TIMEOUT, STARTED.plusSeconds(1))).isEqualTo(new DriverGate(false, Optional.of(STARTED.plus(TIMEOUT))));
        assertThat(DriverGate.of(notReady, TIMEOUT, STARTED.plus(TIMEOUT)).open()).as("then Spark goes on regardless").isTrue();
        assertThat(DriverGate.of(runningDriver(null), TIMEOUT, STARTED.plusSeconds(1)).open()).as("no condition yet: not ready").isFalse();
    }

    @Test
    void withoutAStartTimeThereIsNothingToWaitFrom() {
        assertThat(DriverGate.of(Pods.driver("Running", "2"), TIMEOUT, STARTED).open()).isTrue();
    }

    @Test
    void onlyARunningDriverCanOpen() {
        Pod pending = new PodBuilder(runningDriver("True")).editStatus().withPhase("Pending").endStatus().build();
        assertThat(DriverGate.of(pending, TIMEOUT, STARTED.plusSeconds(60))).isEqualTo(new DriverGate(false, Optional.empty()));
    }

    @Test
    void thePlannerCreatesNothingBeforeTheGateOpensAndWakesWhenItDoes() {
        AppSettings settings = AppSettings.from(io.kspark.conf.SparkConf.of(java.util.Map.of(
                "spark.kubernetes.allocation.driver.readinessTimeout", "5s")));
        Plan waiting = Planner.plan(snapshot(runningDriver("False")), settings, Expectations.none(), STARTED.plusSeconds(2));
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.wakeUpAt()).contains(STARTED.plus(TIMEOUT));
        Plan afterTimeout = Planner.plan(snapshot(runningDriver("False")), settings, waiting.expectations(), STARTED.plus(TIMEOUT));
        assertThat(PlannerTest.created(afterTimeout)).containsExactly(1L, 2L);
        Plan ready = Planner.plan(snapshot(runningDriver("True")), settings, Expectations.none(), STARTED.plusSeconds(2));
        assertThat(PlannerTest.created(ready)).containsExactly(1L, 2L);
        assertThat(List.of(settings.driverReadinessTimeout())).containsExactly(TIMEOUT);
    }
}
