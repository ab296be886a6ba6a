package io.kspark.reconciler.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.reconciler.Pods;
import io.kspark.reconciler.model.AppSnapshot;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.Action.CreateExecutor;
import io.kspark.reconciler.plan.Action.DeleteExecutor;
import io.kspark.reconciler.plan.Action.MarkInactive;
import io.kspark.reconciler.plan.Action.PersistAllocation;
import io.kspark.reconciler.plan.Action.RecordEvent;
import io.kspark.testing.TestAppSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kspark.reconciler.Pods.driver;
import static io.kspark.reconciler.Pods.executor;
import static io.kspark.reconciler.Pods.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final AppSettings SETTINGS = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600), true, true, 3,
            Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));

    static Plan plan(AppSnapshot snapshot) {
        return Planner.plan(snapshot, SETTINGS, Expectations.none(), NOW);
    }

    static List<Long> created(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof CreateExecutor).map(a -> ((CreateExecutor) a).id()).toList();
    }

    static List<Long> deleted(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof DeleteExecutor).map(a -> ((DeleteExecutor) a).id()).toList();
    }

    static Map<String, String> annotations(String... kv) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }

    /** target, batch size, maxPendingPods, existing pods (id:phase), expected created ids */
    @ParameterizedTest(name = "target {0}, batch {1}, maxPending {2}, pods [{3}] -> create {4}")
    @CsvSource(delimiter = '|', value = {
            "3  | 10 | 100 |                         | 1,2,3",
            "25 | 10 | 100 |                         | 1,2,3,4,5,6,7,8,9,10",
            "5  | 10 | 2   |                         | 1,2",
            "5  | 10 | 3   | 1:Pending               | 2,3",
            "4  | 10 | 100 | 1:Running,2:Running     | 3,4",
            "2  | 10 | 100 | 1:Running,2:Pending     | ",
            "3  | 10 | 100 | 1:Running,2:Failed      | 3,4",
            "3  | 10 | 100 | 7:Running               | 8,9"})
    void createsUpToTargetInBatchesWithFreshIds(int target, int batch, int maxPending, String pods, String expected) {
        List<Pod> executors = new ArrayList<>();
        if (pods != null) {
            for (String pod : pods.split(",")) {
                String[] parts = pod.split(":");
                executors.add(executor(Long.parseLong(parts[0]), parts[1], parts[1].equals("Failed") ? 1 : null));
            }
        }
        AppSettings settings = TestAppSettings.of(batch, Duration.ofSeconds(1), maxPending, Integer.MAX_VALUE, Duration.ofSeconds(600), true, true, 10, Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Plan plan = Planner.plan(snapshot(driver("Running", Integer.toString(target)), executors.toArray(Pod[]::new)), settings,
                Expectations.none(), NOW);
        List<Long> expectedIds = expected == null ? List.of() : java.util.Arrays.stream(expected.split(",")).map(Long::parseLong).toList();
        assertThat(created(plan)).isEqualTo(expectedIds);
    }

    @Test
    void highWaterMarkIsPersistedBeforeAnyCreate() {
        Plan plan = plan(snapshot(driver("Running", "2", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "41"))));
        assertThat(plan.actions().get(0)).isInstanceOf(PersistAllocation.class);
        assertThat(((PersistAllocation) plan.actions().get(0)).lastExecutorId()).isEqualTo(43);
        assertThat(created(plan)).containsExactly(42L, 43L);
    }

    @Test
    void noExecutorsBeforeTheDriverRuns() {
        assertThat(plan(snapshot(driver("Pending", "3"))).actions()).isEmpty();
    }

    @Test
    void aClientModeDriverWhoseHeartbeatIsLostEndsItsApplicationOnceItsExecutorsExited() {
        String lastBeat = NOW.minusSeconds(61).toString();
        Pod silentDriver = driver("Running", "2", annotations(KsparkMetadata.DRIVER_HEARTBEAT, lastBeat, KsparkMetadata.LAST_EXECUTOR_ID, "2"));
        AppSnapshot exited = snapshot(silentDriver, executor(1, "Failed", 1), executor(2, "Failed", 1));

        Plan plan = plan(exited);

        // Its pod (a notebook) runs on, but the application is over: executors go, none are replaced, one Event says why.
        assertThat(plan.actions().get(0)).isInstanceOfSatisfying(RecordEvent.class, event -> {
            assertThat(event.reason()).isEqualTo("DriverHeartbeatLost");
            assertThat(event.message()).contains(lastBeat).contains("60000 ms");
        });
        assertThat(deleted(plan)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(plan.actions()).noneMatch(a -> a instanceof CreateExecutor || a instanceof PersistAllocation);
        // The next cycle, deletes still in flight, records no second Event.
        assertThat(Planner.plan(exited, SETTINGS, plan.expectations(), NOW.plusSeconds(1)).actions()).isEmpty();
        // Nothing left: the application is forgotten.
        assertThat(plan(snapshot(silentDriver)).appFinished()).isTrue();
    }

    @Test
    void aStaleHeartbeatWithOnlyUnscheduledExecutorsEndsTheApplication() {
        // A dead driver whose executors never got a node: pending pods prove nothing.
        Pod silentDriver = driver("Running", "2", annotations(KsparkMetadata.DRIVER_HEARTBEAT, NOW.minusSeconds(300).toString(),
                KsparkMetadata.LAST_EXECUTOR_ID, "2"));
        Plan plan = plan(snapshot(silentDriver, executor(1, "Pending", null), executor(2, "Pending", null)));
        assertThat(deleted(plan)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(plan.actions()).filteredOn(a -> a instanceof RecordEvent).singleElement()
                .satisfies(a -> assertThat(((RecordEvent) a).reason()).isEqualTo("DriverHeartbeatLost"));
        // A create that timed out while the heartbeat was stale does not hold the app either.
        Expectations creating = new Expectations(Map.of(3L, inFlight(0, NOW.minusSeconds(601))), Map.of(), Optional.empty(),
                java.util.Set.of(), Optional.empty());
        Plan timedOut = Planner.plan(snapshot(silentDriver), SETTINGS, creating, NOW);
        assertThat(deleted(timedOut)).containsExactly(3L);
        assertThat(timedOut.actions()).anyMatch(a -> a instanceof RecordEvent);
    }

    @Test
    void aStaleHeartbeatWithOneFailedExecutorReplacesNothingButEndsNothing() {
        // An API outage longer than the timeout, and meanwhile one executor ran out of memory; the others run on.
        Pod silentDriver = driver("Running", "2", annotations(KsparkMetadata.DRIVER_HEARTBEAT, NOW.minusSeconds(300).toString(),
                KsparkMetadata.LAST_EXECUTOR_ID, "2"));
        Plan plan = plan(snapshot(silentDriver, executor(1, "Running", null), executor(2, "Failed", 137)));

        assertThat(deleted(plan)).containsExactly(2L);
        assertThat(created(plan)).as("no replacement until the heartbeat is renewed").isEmpty();
        assertThat(plan.actions()).noneMatch(a -> a instanceof RecordEvent);
        assertThat(plan.appFinished()).isFalse();

        // Renewed: the replacement follows.
        Pod renewed = driver("Running", "2", annotations(KsparkMetadata.DRIVER_HEARTBEAT, NOW.toString(),
                KsparkMetadata.LAST_EXECUTOR_ID, "2", KsparkMetadata.EXECUTOR_FAILURES, "1"));
        assertThat(created(Planner.plan(snapshot(renewed, executor(1, "Running", null)), SETTINGS, plan.expectations(), NOW.plusSeconds(2))))
                .containsExactly(3L);
    }

    @Test
    void anEndingAppAlsoDeletesExecutorsCreatedButNotSeenYet() {
        Expectations creating = Planner.plan(snapshot(driver("Running", "2")), SETTINGS, Expectations.none(), NOW).expectations();
        assertThat(creating.creates()).containsOnlyKeys(1L, 2L);

        // The driver ends before the watch has shown executor 2: it is deleted by name, and the app is not forgotten yet.
        Plan ending = Planner.plan(snapshot(driver("Succeeded", "2"), executor(1, "Running", null)), SETTINGS, creating, NOW.plusSeconds(1));
        assertThat(ending.actions()).extracting(a -> ((DeleteExecutor) a).id()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(ending.actions()).filteredOn(a -> ((DeleteExecutor) a).id() == 2L).singleElement()
                .satisfies(a -> assertThat(((DeleteExecutor) a).podName()).isNull());
        assertThat(ending.appFinished()).isFalse();

        // Both gone: now it is.
        Plan done = Planner.plan(snapshot(driver("Succeeded", "2")), SETTINGS, ending.expectations(), NOW.plusSeconds(2));
        assertThat(done.actions()).isEmpty();
        assertThat(done.appFinished()).isTrue();
    }

    @Test
    void aStaleHeartbeatWhileEveryExecutorRunsIsAnOutageNotADeadDriver() {
        // The API server was down longer than the timeout: the live driver could not renew, its executors run on.
        String lastBeat = NOW.minusSeconds(300).toString();
        Plan plan = plan(snapshot(driver("Running", "2", annotations(KsparkMetadata.DRIVER_HEARTBEAT, lastBeat,
                KsparkMetadata.LAST_EXECUTOR_ID, "2")), executor(1, "Running", null), executor(2, "Pending", null)));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.appFinished()).isFalse();
        assertThat(plan.wakeUpAt()).as("no wake-up in the past: it would spin").isEmpty();
    }

    @Test
    void aFreshHeartbeatAllocatesAndAsksToLookAgainWhenItWouldBeLost() {
        Instant lastBeat = NOW.minusSeconds(10);
        Plan plan = plan(snapshot(driver("Running", "1", annotations(KsparkMetadata.DRIVER_HEARTBEAT, lastBeat.toString()))));
        assertThat(created(plan)).containsExactly(1L);
        assertThat(plan.wakeUpAt()).contains(lastBeat.plusSeconds(60));
        // A value kspark cannot read never ends an application.
        assertThat(created(plan(snapshot(driver("Running", "1", annotations(KsparkMetadata.DRIVER_HEARTBEAT, "yesterday")))))).containsExactly(1L);
    }

    @Test
    void noTargetMeansNoAllocation() {
        assertThat(plan(snapshot(driver("Running", null), executor(1, "Running", null))).actions()).isEmpty();
    }

    @Test
    void nextBatchWaitsForTheLastOneToBeSeenAndForTheBatchDelay() {
        Expectations afterBatch = Planner.plan(snapshot(driver("Running", "20")), SETTINGS, Expectations.none(), NOW).expectations();
        assertThat(afterBatch.creates()).hasSize(10);
        Plan unseen = Planner.plan(snapshot(driver("Running", "20", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "10"))), SETTINGS,
                afterBatch, NOW.plusSeconds(2));
        assertThat(created(unseen)).isEmpty();
        Pod[] seen = new Pod[10];
        for (int i = 0; i < 10; i++) {
            seen[i] = executor(i + 1, "Pending", null);
        }
        Pod driver = driver("Running", "20", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "10"));
        Plan tooSoon = Planner.plan(snapshot(driver, seen), SETTINGS, afterBatch, NOW.plusMillis(500));
        assertThat(created(tooSoon)).isEmpty();
        assertThat(tooSoon.wakeUpAt()).contains(NOW.plusSeconds(1));
        Plan later = Planner.plan(snapshot(driver, seen), SETTINGS, afterBatch, NOW.plusSeconds(1));
        assertThat(created(later)).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    }

    @Test
    void createsNeverSeenAreForgottenAfterTheTimeoutAndTheirPodsDeleted() {
        Expectations afterBatch = Planner.plan(snapshot(driver("Running", "1")), SETTINGS, Expectations.none(), NOW).expectations();
        Plan timedOut = Planner.plan(snapshot(driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "1"))), SETTINGS,
                afterBatch, NOW.plus(Duration.ofSeconds(601)));
        assertThat(deleted(timedOut)).containsExactly(1L);
        assertThat(created(timedOut)).containsExactly(2L);
    }

    @Test
    void failedExecutorIsDeletedCountedAndReplacedWithNextId() {
        Plan plan = plan(snapshot(driver("Running", "2", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "2")),
                executor(1, "Running", null), executor(2, "Failed", 137)));
        assertThat(deleted(plan)).containsExactly(2L);
        assertThat(created(plan)).containsExactly(3L);
        PersistAllocation persist = (PersistAllocation) plan.actions().get(0);
        assertThat(persist.failures()).isEqualTo(1);
        assertThat(persist.lastExecutorId()).isEqualTo(3);
        assertThat(plan.expectations().countedFailures()).containsExactly(2L);
        Plan again = Planner.plan(snapshot(driver("Running", "2", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "3",
                        KsparkMetadata.EXECUTOR_FAILURES, "1")), executor(1, "Running", null), executor(2, "Failed", 137), executor(3, "Pending", null)),
                SETTINGS, plan.expectations(), NOW.plusSeconds(2));
        assertThat(again.actions()).isEmpty();
    }

    @Test
    void succeededExecutorIsDeletedButNotCountedAsFailure() {
        Plan plan = plan(snapshot(driver("Running", "1"), executor(1, "Succeeded", 0)));
        assertThat(deleted(plan)).containsExactly(1L);
        assertThat(plan.actions()).filteredOn(a -> a instanceof PersistAllocation).extracting(a -> ((PersistAllocation) a).failures())
                .containsExactly(0);
    }

    @Test
    void keepingFinishedExecutorsMarksThemInactive() {
        AppSettings keep = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600), false, true, 3, Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Plan plan = Planner.plan(snapshot(driver("Running", "1"), executor(1, "Failed", 1)), keep, Expectations.none(), NOW);
        assertThat(plan.actions()).filteredOn(a -> a instanceof MarkInactive).hasSize(1);
        assertThat(deleted(plan)).isEmpty();
    }

    @Test
    void tooManyFailuresStopAllocationWithAnEvent() {
        Pod driver = driver("Running", "2", annotations(KsparkMetadata.EXECUTOR_FAILURES, "3", KsparkMetadata.LAST_EXECUTOR_ID, "5"));
        Plan plan = plan(snapshot(driver, executor(5, "Failed", 1)));
        assertThat(created(plan)).isEmpty();
        assertThat(plan.actions()).filteredOn(a -> a instanceof RecordEvent)
                .extracting(a -> ((RecordEvent) a).reason()).containsExactly("ExecutorFailuresExceeded");
        PersistAllocation persist = (PersistAllocation) plan.actions().get(0);
        assertThat(persist.failures()).isEqualTo(4);
        assertThat(persist.stopped()).hasValueSatisfying(s -> assertThat(s).contains("spark.executor.maxNumFailures=3"));
        Pod stopped = driver("Running", "2", annotations(KsparkMetadata.EXECUTOR_FAILURES, "4", KsparkMetadata.ALLOCATION_STOPPED, "x"));
        assertThat(plan(snapshot(stopped)).actions()).isEmpty();
    }

    @Test
    void lowerTargetDeletesExcessPendingExecutorsNewestFirst() {
        Plan plan = plan(snapshot(driver("Running", "2"), executor(1, "Running", null), executor(2, "Pending", null),
                executor(3, "Pending", null), executor(4, "Pending", null), executor(5, "Running", null)));
        assertThat(deleted(plan)).containsExactly(4L, 3L, 2L);
        // Only while still pending: one that starts before the delete lands stays, as with Spark's phase field selector.
        assertThat(plan.actions()).filteredOn(DeleteExecutor.class::isInstance).allSatisfy(a -> assertThat(((DeleteExecutor) a).onlyIfPending()).isTrue());
        assertThat(created(plan)).isEmpty();
    }

    @Test
    void executorsSparkKillsAfterLoweringTheTargetAreNotRecreated() {
        // Dynamic allocation: Spark lowers the target (2 -> 1), then kills an idle executor; its pod exits or is deleted.
        Pod lowered = driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "2"));
        Plan exited = plan(snapshot(lowered, executor(1, "Running", null), executor(2, "Succeeded", 0)));
        assertThat(deleted(exited)).containsExactly(2L);
        assertThat(exited.actions()).filteredOn(DeleteExecutor.class::isInstance).allSatisfy(a -> assertThat(((DeleteExecutor) a).onlyIfPending()).isFalse());
        assertThat(created(exited)).isEmpty();
        Plan gone = plan(snapshot(lowered, executor(1, "Running", null)));
        assertThat(gone.actions()).isEmpty();
        Plan beingDeleted = plan(snapshot(lowered, executor(1, "Running", null), new io.fabric8.kubernetes.api.model.PodBuilder(
                executor(2, "Running", null)).editMetadata().withDeletionTimestamp("2026-06-01T11:59:00Z").endMetadata().build()));
        assertThat(created(beingDeleted)).isEmpty();
        // Down to zero: nothing is created, nothing running is touched by kspark.
        Plan zero = plan(snapshot(driver("Running", "0", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "2")), executor(1, "Running", null)));
        assertThat(zero.actions()).isEmpty();
    }

    @Test
    void runningExecutorsAreNotDeletedForALowerTarget() {
        assertThat(deleted(plan(snapshot(driver("Running", "0"), executor(1, "Running", null), executor(2, "Running", null))))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"Succeeded", "Failed"})
    void finishedDriverTakesItsExecutorsAlong(String phase) {
        Plan plan = plan(snapshot(driver(phase, "3"), executor(1, "Running", null), executor(2, "Pending", null)));
        assertThat(deleted(plan)).containsExactlyInAnyOrder(1L, 2L);
        assertThat(created(plan)).isEmpty();
        assertThat(plan.appFinished()).isFalse();
        assertThat(plan(snapshot(driver(phase, "3"))).appFinished()).isTrue();
    }

    static final AppSettings KEEP = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600), false,
            true, 3, Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));

    static Pod inactive(Pod executor) {
        return new PodBuilder(executor).editMetadata().addToLabels("spark-exec-inactive", "true").endMetadata().build();
    }

    static List<Long> markedInactive(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof MarkInactive).map(a -> ((MarkInactive) a).id()).toList();
    }

    @Test
    void withDeleteOnTerminationFalseExecutorsThatStartedOutliveTheirFinishedDriver() {
        Expectations creating = new Expectations(Map.of(5L, new Expectations.InFlightCreate(0, NOW)), Map.of(), Optional.empty(),
                java.util.Set.of(), Optional.empty());
        Plan ending = Planner.plan(snapshot(driver("Succeeded", "5"), inactive(executor(1, "Failed", 1)), executor(2, "Succeeded", 0),
                executor(3, "Running", null), executor(4, "Pending", null)), KEEP, creating, NOW);

        // Kept for their logs, labelled as Spark labels kept executors; the never-started ones would wait for ever.
        assertThat(markedInactive(ending)).containsExactlyInAnyOrder(2L, 3L);
        assertThat(deleted(ending)).containsExactlyInAnyOrder(4L, 5L);
        assertThat(ending.appFinished()).isFalse();

        Plan done = Planner.plan(snapshot(driver("Succeeded", "5"), inactive(executor(1, "Failed", 1)), inactive(executor(2, "Succeeded", 0)),
                inactive(executor(3, "Running", null))), KEEP, ending.expectations(), NOW.plusSeconds(1));
        assertThat(done.actions()).isEmpty();
        assertThat(done.appFinished()).isTrue();
    }

    @Test
    void keptExecutorsStayKeptWithoutTheAppsSettings() {
        // After a restart (or once the app was forgotten) a finished driver's conf is not read again: the label decides.
        Plan plan = plan(snapshot(driver("Failed", "2"), inactive(executor(1, "Failed", 1)), executor(2, "Running", null)));
        assertThat(deleted(plan)).containsExactly(2L);
        assertThat(markedInactive(plan)).isEmpty();
        assertThat(Planner.plan(snapshot(driver("Failed", "2"), inactive(executor(1, "Failed", 1))), SETTINGS, Expectations.none(), NOW)
                .appFinished()).isTrue();
    }

    @Test
    void aDriverPodThatIsGoneOrGoingTakesEvenKeptExecutorsAlong() {
        Pod deleting = new PodBuilder(driver("Succeeded", "1")).editMetadata().withDeletionTimestamp("2026-06-01T11:59:00Z").endMetadata().build();
        for (Pod driver : new Pod[] {null, deleting}) {
            Plan plan = Planner.plan(snapshot(driver, inactive(executor(1, "Failed", 1)), executor(2, "Running", null)), KEEP, Expectations.none(), NOW);
            assertThat(deleted(plan)).containsExactlyInAnyOrder(1L, 2L);
            assertThat(markedInactive(plan)).isEmpty();
        }
    }

    @Test
    void vanishedDriverTakesItsExecutorsAlong() {
        Plan plan = plan(snapshot(null, executor(1, "Running", null)));
        assertThat(deleted(plan)).containsExactly(1L);
    }

    @Test
    void deletesAreNotRepeatedWhileInFlight() {
        Plan first = plan(snapshot(driver("Succeeded", "1"), executor(1, "Running", null)));
        Plan second = Planner.plan(snapshot(driver("Succeeded", "1"), executor(1, "Running", null)), SETTINGS, first.expectations(),
                NOW.plusSeconds(1));
        assertThat(deleted(second)).isEmpty();
        Plan retry = Planner.plan(snapshot(driver("Succeeded", "1"), executor(1, "Running", null)), SETTINGS, first.expectations(),
                NOW.plusSeconds(31));
        assertThat(deleted(retry)).containsExactly(1L);
    }

    @Test
    void allocationMaximumStopsCreation() {
        AppSettings max = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600), true, true, 3, Optional.empty(), 3, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Plan plan = Planner.plan(snapshot(driver("Running", "5")), max, Expectations.none(), NOW);
        assertThat(created(plan)).containsExactly(1L, 2L);
        assertThat(plan.actions()).filteredOn(a -> a instanceof RecordEvent).extracting(a -> ((RecordEvent) a).reason())
                .containsExactly("AllocationMaximumReached");
    }

    @Test
    void invalidTargetIsReportedOnce() {
        Plan plan = plan(snapshot(driver("Running", "lots")));
        assertThat(plan.actions()).singleElement().isInstanceOf(RecordEvent.class);
        Plan again = Planner.plan(snapshot(driver("Running", "lots")), SETTINGS, plan.expectations(), NOW.plusSeconds(1));
        assertThat(again.actions()).isEmpty();
    }

    @Test
    void anUnreadableLastExecutorIdStopsCreationInsteadOfRisingFromZero() {
        Plan plan = plan(snapshot(driver("Running", "2", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "4O"))));
        assertThat(created(plan)).isEmpty();
        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(RecordEvent.class,
                event -> assertThat(event.message()).contains(KsparkMetadata.LAST_EXECUTOR_ID).contains("'4O'"));
    }

    @Test
    void aFailureCountedBeforeARestartIsNotCountedAgain() {
        Pod driver = driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "1"));
        Plan counting = plan(snapshot(driver, executor(1, "Failed", 1)));
        PersistAllocation persisted = (PersistAllocation) counting.actions().get(0);
        assertThat(persisted.failures()).isEqualTo(1);
        assertThat(persisted.countedFailures()).containsExactly(1L);

        // The process stops before the delete lands; a fresh one (no memory) reads the driver pod as written.
        Pod written = driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "2", KsparkMetadata.EXECUTOR_FAILURES, "1",
                KsparkMetadata.COUNTED_FAILURES, Allocation.formatIds(persisted.countedFailures())));
        Plan afterRestart = plan(snapshot(written, executor(1, "Failed", 1), executor(2, "Running", null)));
        assertThat(deleted(afterRestart)).containsExactly(1L);
        assertThat(afterRestart.actions()).noneMatch(a -> a instanceof PersistAllocation);
    }

    @Test
    void whileTheLastExecutorIdIsUnreadableNothingIsWrittenOverIt() {
        Pod driver = driver("Running", "2", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "4O"));
        Plan plan = plan(snapshot(driver, executor(3, "Failed", 1)));
        assertThat(plan.actions()).noneMatch(a -> a instanceof PersistAllocation || a instanceof CreateExecutor);
        assertThat(deleted(plan)).containsExactly(3L);
    }

    @Test
    void maxPendingPodsAloneIsAValidConf() {
        var settings = AppSettings.from(io.kspark.conf.SparkConf.of(Map.of("spark.kubernetes.allocation.maxPendingPods", "5")));
        assertThat(settings.maxPendingPods()).isEqualTo(5);
        assertThat(settings.maxPendingPodsPerRp()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "checkAllContainers={0}")
    @CsvSource({"true, 1", "false, 0"})
    void aFailedSideContainerFailsTheExecutorOnlyWhenAllContainersAreChecked(boolean checkAll, int deletes) {
        // The Spark container runs on; a log shipper beside it crashed.
        Pod executor = new io.fabric8.kubernetes.api.model.PodBuilder(executor(1, "Running", null)).editSpec()
                .addNewContainer().withName("log-shipper").endContainer().endSpec()
                .editStatus().withContainerStatuses(running("spark-kubernetes-executor"), terminated("log-shipper", 2)).endStatus().build();
        AppSettings settings = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600),
                true, checkAll, 3, Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Plan plan = Planner.plan(snapshot(driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "1")), executor), settings,
                Expectations.none(), NOW);
        assertThat(deleted(plan)).hasSize(deletes);
        assertThat(AppSettings.from(io.kspark.conf.SparkConf.of(Map.of("spark.kubernetes.executor.checkAllContainers", "false")))
                .checkAllContainers()).isFalse();
    }

    @Test
    void withAValidityIntervalOnlyRecentFailuresCount() {
        AppSettings settings = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600),
                true, true, 1, Optional.of(Duration.ofHours(1)), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        // Two failures so far, one of them two hours ago: with the new one, 2 count (not 3), and maxNumFailures=1 is exceeded.
        String times = NOW.minusSeconds(7200).toEpochMilli() + "," + NOW.minusSeconds(600).toEpochMilli();
        Pod driver = driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "3", KsparkMetadata.EXECUTOR_FAILURES, "2",
                KsparkMetadata.EXECUTOR_FAILURE_TIMES, times));
        Plan plan = Planner.plan(snapshot(driver, executor(3, "Failed", 1)), settings, Expectations.none(), NOW);
        PersistAllocation persist = (PersistAllocation) plan.actions().get(0);
        assertThat(persist.failures()).as("the total is kept").isEqualTo(3);
        assertThat(persist.failureTimes()).containsExactly(NOW.minusSeconds(600), NOW);
        assertThat(persist.stopped()).hasValueSatisfying(why -> assertThat(why).startsWith("2 executor failures within"));

        // Almost an hour later the failure of 11:50 has expired: with a new one, 2 count, which a limit of 2 allows.
        Pod later = driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "4", KsparkMetadata.EXECUTOR_FAILURES, "3",
                KsparkMetadata.EXECUTOR_FAILURE_TIMES, Allocation.formatTimes(persist.failureTimes())));
        AppSettings limitTwo = TestAppSettings.of(10, Duration.ofSeconds(1), Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(600),
                true, true, 2, Optional.of(Duration.ofHours(1)), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Plan next = Planner.plan(snapshot(later, executor(4, "Failed", 1)), limitTwo, Expectations.none(), NOW.plusSeconds(3500));
        PersistAllocation kept = (PersistAllocation) next.actions().get(0);
        assertThat(kept.failureTimes()).containsExactly(NOW, NOW.plusSeconds(3500));
        assertThat(kept.stopped()).isEmpty();
        assertThat(created(next)).containsExactly(5L);
        assertThat(AppSettings.from(io.kspark.conf.SparkConf.of(Map.of("spark.executor.failuresValidityInterval", "1h")))
                .failuresValidity()).contains(Duration.ofHours(1));
    }

    @Test
    void perResourceProfileTargets() {
        Plan plan = plan(snapshot(driver("Running", "0=1,1=2"), executor(1, "Running", null)));
        assertThat(plan.actions()).filteredOn(a -> a instanceof CreateExecutor).extracting(a -> ((CreateExecutor) a).resourceProfileId())
                .containsExactly(1, 1);
    }

    @Test
    void lowerTargetDeletesCreatesNotSeenYetBeforePendingPods() {
        Expectations creating = new Expectations(Map.of(6L, inFlight(0, NOW.minusSeconds(120)), 7L, inFlight(0, NOW.minusSeconds(120))),
                Map.of(), Optional.of(NOW.minusSeconds(120)), java.util.Set.of(), Optional.empty());
        Pod driver = driver("Running", "3", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "7"));
        Plan plan = Planner.plan(snapshot(driver, executor(1, "Running", null), executor(2, "Pending", null), executor(3, "Pending", null),
                executor(4, "Pending", null), executor(5, "Pending", null)), SETTINGS, creating, NOW);

        // 7 executors for a target of 3: the two newest (not seen yet, deleted by label) go first, then pods 5 and 4.
        assertThat(deleted(plan)).containsExactly(7L, 6L, 5L, 4L);
        assertThat(plan.actions()).filteredOn(a -> a instanceof DeleteExecutor && ((DeleteExecutor) a).id() >= 6)
                .allSatisfy(a -> assertThat(((DeleteExecutor) a).podName()).isNull());
        assertThat(plan.expectations().creates()).isEmpty();
        assertThat(created(plan)).isEmpty();
    }

    @Test
    void executorsYoungerThanTheIdleTimeoutSurviveALowerTarget() {
        Pod young = new io.fabric8.kubernetes.api.model.PodBuilder(executor(3, "Pending", null)).editMetadata()
                .withCreationTimestamp(NOW.minusSeconds(10).toString()).endMetadata().build();
        Expectations creating = new Expectations(Map.of(4L, inFlight(0, NOW.minusSeconds(5))), Map.of(), Optional.of(NOW.minusSeconds(5)),
                java.util.Set.of(), Optional.empty());
        Pod driver = driver("Running", "1", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "4"));

        Plan plan = Planner.plan(snapshot(driver, executor(1, "Running", null), executor(2, "Pending", null), young), SETTINGS, creating, NOW);

        // Spark's guard against churn when the target dips between stages: only executor 2 is old enough to go.
        assertThat(deleted(plan)).containsExactly(2L);
        assertThat(plan.wakeUpAt()).as("look again when executor 3 comes of age").contains(NOW.plusSeconds(50).plusMillis(1));
    }

    @Test
    void everyResourceProfileGetsItsBatchInTheSameRound() {
        Plan plan = plan(snapshot(driver("Running", "0=20,1=20")));
        assertThat(plan.actions()).filteredOn(a -> a instanceof CreateExecutor)
                .extracting(a -> ((CreateExecutor) a).resourceProfileId())
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @ParameterizedTest(name = "maxPendingPods {0}, per profile {1} -> profiles {2}")
    @CsvSource(delimiter = '|', value = {
            "4          | 2147483647 | 0,0,1,1",
            "5          | 2147483647 | 0,0,0,1,1",
            "2147483647 | 1          | 0,1"})
    void pendingPodSlotsAreSharedBetweenProfiles(int maxPending, int perProfile, String expected) {
        AppSettings settings = TestAppSettings.of(10, Duration.ofSeconds(1), maxPending, perProfile, Duration.ofSeconds(600), true, true, 3,
                Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(60), Duration.ofSeconds(60));
        Plan plan = Planner.plan(snapshot(driver("Running", "0=4,1=4")), settings, Expectations.none(), NOW);
        assertThat(plan.actions()).filteredOn(a -> a instanceof CreateExecutor)
                .extracting(a -> Integer.toString(((CreateExecutor) a).resourceProfileId())).containsExactly(expected.split(","));
    }

    @Test
    void aPodBeingDeletedIsNotAFailureEvenIfItsPhaseIsFailed() {
        // Kubernetes (1.27+) moves a deleted pod to Failed: an executor the driver gave back must not count.
        Pod deleting = new io.fabric8.kubernetes.api.model.PodBuilder(executor(1, "Failed", 143)).editMetadata()
                .withDeletionTimestamp(NOW.toString()).endMetadata().build();
        Plan plan = plan(snapshot(driver("Running", "0", annotations(KsparkMetadata.LAST_EXECUTOR_ID, "1")), deleting));
        assertThat(plan.actions()).isEmpty();
    }

    @Test
    void aRenamedSparkContainerIsFoundByItsSparkEnv() {
        // A pod template named the containers "executor"/"driver" and added a log shipper that keeps running.
        Pod executor = new io.fabric8.kubernetes.api.model.PodBuilder(executor(1, "Running", null)).editSpec().withContainers(
                        new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("executor").addNewEnv().withName("SPARK_EXECUTOR_ID")
                                .withValue("1").endEnv().build(),
                        new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("log-shipper").build()).endSpec()
                .editStatus().withContainerStatuses(terminated("executor", 0), running("log-shipper")).endStatus().build();
        assertThat(snapshot(null, executor).executors().get(1L).state()).isEqualTo(io.kspark.reconciler.model.ExecutorState.SUCCEEDED);

        Pod driver = new io.fabric8.kubernetes.api.model.PodBuilder(driver("Running", "1")).withNewSpec()
                .addNewContainer().withName("driver").addNewEnv().withName("SPARK_DRIVER_BIND_ADDRESS").endEnv().endContainer()
                .addNewContainer().withName("log-shipper").endContainer().endSpec()
                .editStatus().withContainerStatuses(terminated("driver", 1), running("log-shipper")).endStatus().build();
        assertThat(Planner.isFinished(driver)).isTrue();
        assertThat(Planner.isFinished(new io.fabric8.kubernetes.api.model.PodBuilder(driver).editStatus()
                .withContainerStatuses(running("driver"), terminated("log-shipper", 0)).endStatus().build())).isFalse();
    }

    @Test
    void perProfilePendingPodsAboveTheTotalAreRefusedAsSparkDoes() {
        var conf = io.kspark.conf.SparkConf.of(Map.of("spark.kubernetes.allocation.maxPendingPods", "5",
                "spark.kubernetes.allocation.maxPendingPodsPerRp", "6"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AppSettings.from(conf))
                .isInstanceOf(io.kspark.conf.UserInputException.class)
                .hasMessageContaining("spark.kubernetes.allocation.maxPendingPodsPerRp").hasMessageContaining("(6)");
    }

    private static Expectations.InFlightCreate inFlight(int profile, Instant at) {
        return new Expectations.InFlightCreate(profile, at);
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus terminated(String name, int exitCode) {
        return new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName(name).withNewState().withNewTerminated()
                .withExitCode(exitCode).endTerminated().endState().build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus running(String name) {
        return new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName(name).withNewState().withNewRunning().endRunning()
                .endState().build();
    }

    @Test
    void settingsFollowSparkDefaults() {
        var conf = io.kspark.conf.SparkConf.of(Map.of("spark.executor.instances", "5"));
        AppSettings settings = AppSettings.from(conf);
        assertThat(settings.batchSize()).isEqualTo(10);
        assertThat(settings.batchDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.podCreationTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(settings.maxExecutorFailures()).isEqualTo(10);
        assertThat(settings.maxPendingPodsPerRp()).isEqualTo(Integer.MAX_VALUE);
        assertThat(settings.newExecutorProtection()).isEqualTo(Duration.ofSeconds(60));
        assertThat(AppSettings.from(io.kspark.conf.SparkConf.empty()).maxExecutorFailures()).isEqualTo(3);
        assertThat(AppSettings.initialExecutors(conf)).isEqualTo(5);
        assertThat(AppSettings.initialExecutors(io.kspark.conf.SparkConf.empty())).isEqualTo(2);
        assertThat(AppSettings.initialExecutors(io.kspark.conf.SparkConf.of(Map.of("spark.dynamicAllocation.enabled", "true",
                "spark.dynamicAllocation.minExecutors", "2", "spark.dynamicAllocation.initialExecutors", "4")))).isEqualTo(4);
    }

    @Test
    void targetsParse() {
        assertThat(Allocation.parseTargets("5")).isEqualTo(Map.of(0, 5));
        assertThat(Allocation.parseTargets("0=5,1=2")).isEqualTo(Map.of(0, 5, 1, 2));
        assertThat(Allocation.formatTargets(Map.of(0, 5))).isEqualTo("5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Allocation.parseTargets("-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
