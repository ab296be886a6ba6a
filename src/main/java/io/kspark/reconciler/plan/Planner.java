package io.kspark.reconciler.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.k8s.SparkContainers;
import io.kspark.reconciler.model.AppSnapshot;
import io.kspark.reconciler.model.ExecutorPod;
import io.kspark.reconciler.model.ExecutorState;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.Action.CreateExecutor;
import io.kspark.reconciler.plan.Action.DeleteExecutor;
import io.kspark.reconciler.plan.Action.MarkInactive;
import io.kspark.reconciler.plan.Action.PersistAllocation;
import io.kspark.reconciler.plan.Action.RecordEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Spark's executor allocation as a pure function of (snapshot, settings, expectations, now):
 * <ul>
 *   <li>no executors until the driver runs; when the driver ends or disappears, all executors go;</li>
 *   <li>a client-mode driver whose heartbeat is older than its timeout, and none of whose executors still runs, has
 *       ended too: its pod lives on, so nothing else says so; while the heartbeat is stale nothing is replaced;</li>
 *   <li>finished executors are deleted (or marked inactive) and failures are counted; past
 *       spark.executor.maxNumFailures allocation stops and an Event says why;</li>
 *   <li>below target: one batch per resource profile (batch.size, maxPendingPods shared between profiles,
 *       maxPendingPodsPerRp) once its previous batch was seen and batch.delay has passed, with ids above every id
 *       ever used;</li>
 *   <li>with spark.kubernetes.driver.waitToReusePersistentVolumeClaim, a batch stops at the first executor that would
 *       need a claim past the app's limit while none is free ({@link ClaimBudget});</li>
 *   <li>above target: not-yet-running executors are deleted, newest first, once older than executorIdleTimeout.</li>
 * </ul>
 */
public final class Planner {

    /** How long a delete may stay unconfirmed before it is issued again. */
    static final Duration DELETE_RETRY = Duration.ofSeconds(30);

    private Planner() {
    }

    public static Plan plan(AppSnapshot snapshot, AppSettings settings, Expectations expected, Instant now) {
        return plan(snapshot, settings, expected, now, Optional.empty());
    }

    /**
     * As {@link #plan(AppSnapshot, AppSettings, Expectations, Instant)}, for an app whose new executors may have to
     * wait for a claim ({@code claims}: its claims as they are now).
     */
    public static Plan plan(AppSnapshot snapshot, AppSettings settings, Expectations expected, Instant now, Optional<ClaimBudget> claims) {
        Optional<Pod> driver = snapshot.driver();
        Map<Long, ExecutorPod> executors = settings.checkAllContainers() ? snapshot.executors() : bySparkContainerOnly(snapshot.executors());
        Map<Long, Instant> deletes = confirmDeletes(expected.deletes(), executors, now);
        if (driver.isEmpty() || isFinished(driver.get())) {
            // As Spark with deleteOnTermination=false, executors that started stay for their logs once the driver has ended
            // (the owner reference removes them with the driver pod); a driver pod that is gone or going takes them along.
            boolean driverStays = driver.isPresent() && driver.get().getMetadata().getDeletionTimestamp() == null;
            return endOfApp(snapshot, expected, deletes, now, driver.isEmpty() ? "the driver pod is gone" : "the driver finished",
                    Optional.empty(), driverStays ? keeping(settings) : Keep.NOTHING);
        }
        Allocation allocation = Allocation.of(driver.get());
        Optional<Instant> heartbeatLostAt = allocation.heartbeat().map(at -> at.plus(settings.driverHeartbeatTimeout()));
        boolean heartbeatStale = heartbeatLostAt.isPresent() && !now.isBefore(heartbeatLostAt.get());
        if (heartbeatStale && noExecutorRunning(executors, deletes, expected.creates(), settings, now)) {
            String why = "the client-mode driver's last heartbeat (" + KsparkMetadata.DRIVER_HEARTBEAT + ") was at "
                    + allocation.heartbeat().get() + ", more than " + settings.driverHeartbeatTimeout().toMillis() + " ms ago";
            return endOfApp(snapshot, expected, deletes, now, why,
                    Optional.of(new RecordEvent("Warning", "DriverHeartbeatLost", "kspark removes the executors: " + why)), Keep.NOTHING);
        }
        List<Action> actions = new ArrayList<>();
        List<Action> persistAndEvents = new ArrayList<>();

        // Creates are "in flight" until their pods show up, or until the creation timeout.
        Map<Long, Expectations.InFlightCreate> creates = new HashMap<>(expected.creates());
        creates.keySet().removeAll(executors.keySet());
        for (var it = creates.entrySet().iterator(); it.hasNext(); ) {
            var create = it.next();
            if (create.getValue().at().plus(settings.podCreationTimeout()).isBefore(now)) {
                it.remove();
                // The pod may still appear; Spark deletes it by label as soon as it gives up waiting.
                actions.add(new DeleteExecutor(create.getKey(), null, "not seen within the creation timeout"));
            }
        }

        // Finished executors: count failures once, then delete (or mark inactive).
        Set<Long> counted = new HashSet<>(expected.countedFailures());
        counted.addAll(allocation.countedFailures());
        counted.retainAll(executors.keySet());
        int newFailures = 0;
        for (ExecutorPod executor : executors.values()) {
            if (executor.inactive()) {
                continue;
            }
            // As in Spark, a pod being deleted counts as deleted, not failed: Kubernetes marks every deleted pod Failed.
            if (executor.state() == ExecutorState.FAILED && counted.add(executor.id())) {
                newFailures++;
            }
            if (executor.state() == ExecutorState.FAILED || executor.state() == ExecutorState.SUCCEEDED) {
                if (!settings.deleteOnTermination()) {
                    actions.add(new MarkInactive(executor.id(), executor.podName()));
                } else if (!deletes.containsKey(executor.id())) {
                    actions.add(new DeleteExecutor(executor.id(), executor.podName(), "executor " + executor.state().name().toLowerCase()));
                    deletes.put(executor.id(), now);
                }
            }
        }
        int failures = allocation.failures() + newFailures;
        // With spark.executor.failuresValidityInterval only recent failures count (Spark's ExecutorFailureTracker).
        List<Instant> failureTimes = new ArrayList<>();
        int countingFailures = failures;
        if (settings.failuresValidity().isPresent()) {
            Instant since = now.minus(settings.failuresValidity().get());
            allocation.failureTimes().stream().filter(t -> !t.isBefore(since)).forEach(failureTimes::add);
            for (int i = 0; i < newFailures; i++) {
                failureTimes.add(now);
            }
            countingFailures = failureTimes.size();
        }
        Optional<String> stopped = allocation.stopped();
        Optional<String> problem = Optional.empty();
        if (stopped.isEmpty() && countingFailures > settings.maxExecutorFailures()) {
            stopped = Optional.of(countingFailures + " executor failures" + settings.failuresValidity()
                    .map(d -> " within spark.executor.failuresValidityInterval=" + d.toMillis() + "ms").orElse("")
                    + " exceed spark.executor.maxNumFailures=" + settings.maxExecutorFailures());
            persistAndEvents.add(new RecordEvent("Warning", "ExecutorFailuresExceeded", "kspark stopped replacing executors: " + stopped.get()));
        }
        if (allocation.targetError().isPresent()) {
            problem = allocation.targetError();
            if (!problem.equals(expected.reportedProblem())) {
                persistAndEvents.add(new RecordEvent("Warning", "InvalidExecutorTarget", problem.get()));
            }
        }

        long lastId = Math.max(allocation.lastExecutorId(), Math.max(maxKey(executors), maxKey(creates)));
        long firstNewId = lastId + 1;
        Optional<Instant> lastBatchAt = expected.lastBatchAt();
        // Look again when the heartbeat would be lost: a dead driver sends no event that would wake us. Once it is
        // stale (executors still running), the executor that exits next wakes us; a past time would spin.
        Optional<Instant> wakeUp = earliest(earliestDeadline(creates, settings, deletes), heartbeatLostAt.filter(now::isBefore));
        DriverGate gate = DriverGate.of(driver.get(), settings.driverReadinessTimeout(), now);
        wakeUp = earliest(wakeUp, gate.opensAt());
        if (gate.open()) {
            // Per profile as Spark does: first give back the excess, then find what is missing.
            List<Shortfall> shortfalls = new ArrayList<>();
            int notRunningTotal = 0;
            for (var target : allocation.targets().entrySet()) {
                int rp = target.getKey();
                int wanted = target.getValue();
                List<ExecutorPod> live = executors.values().stream()
                        .filter(e -> e.resourceProfileId() == rp && !e.inactive() && !deletes.containsKey(e.id()))
                        .filter(e -> e.state() == ExecutorState.RUNNING || e.state() == ExecutorState.PENDING)
                        .toList();
                List<Long> inFlight = creates.entrySet().stream().filter(c -> c.getValue().resourceProfileId() == rp)
                        .map(Map.Entry::getKey).sorted(Comparator.reverseOrder()).toList();
                int notRunning = (int) live.stream().filter(e -> e.state() == ExecutorState.PENDING).count() + inFlight.size();
                int count = live.size() + inFlight.size();
                if (count > wanted) {
                    ExcessRemoval removal = removeExcess(count - wanted, wanted, inFlight, live, creates, deletes, settings, now);
                    actions.addAll(removal.deletes());
                    notRunning -= removal.deletes().size();
                    wakeUp = earliest(wakeUp, removal.nextEligible());
                } else if (count < wanted && inFlight.isEmpty()) {
                    shortfalls.add(new Shortfall(rp, wanted - count, notRunning));
                }
                notRunningTotal += notRunning;
            }
            // A stale heartbeat with executors still running is an outage or a dying driver: replace nothing until it
            // is renewed, or until the last executor has exited (then the app ends, above).
            if (!shortfalls.isEmpty() && stopped.isEmpty() && !heartbeatStale) {
                Optional<Instant> gateOpens = lastBatchAt.map(at -> at.plus(settings.batchDelay()));
                long slots = (long) settings.maxPendingPods() - notRunningTotal;
                if (gateOpens.isPresent() && now.isBefore(gateOpens.get())) {
                    wakeUp = earliest(wakeUp, gateOpens);
                } else if (slots > 0) {
                    Batch batch = nextBatch(shortfalls, slots, lastId, settings, claims);
                    for (CreateExecutor create : batch.creates()) {
                        actions.add(create);
                        creates.put(create.id(), new Expectations.InFlightCreate(create.resourceProfileId(), now));
                        lastId = create.id();
                    }
                    if (batch.waitsForClaim()) {
                        wakeUp = earliest(wakeUp, claims.flatMap(ClaimBudget::nextFreeAt).filter(now::isBefore));
                    }
                    if (batch.maximumReached().isPresent()) {
                        stopped = batch.maximumReached();
                        persistAndEvents.add(new RecordEvent("Warning", "AllocationMaximumReached", "kspark stopped creating executors: " + stopped.get()));
                    }
                    if (lastId >= firstNewId) {
                        lastBatchAt = Optional.of(now);
                        wakeUp = earliest(wakeUp, Optional.of(now.plus(settings.podCreationTimeout())));
                    }
                }
            }
        }
        boolean creating = lastId >= firstNewId;
        boolean changed = creating || failures != allocation.failures() || !stopped.equals(allocation.stopped());
        if (changed && !allocation.lastExecutorIdUnreadable()) {
            // Inactive executors are never counted again: only the others need remembering across restarts.
            Set<Long> toRemember = new HashSet<>(counted);
            toRemember.removeIf(id -> executors.get(id).inactive());
            persistAndEvents.add(0, new PersistAllocation(lastId, failures, toRemember, failureTimes, stopped,
                    driver.get().getMetadata().getResourceVersion()));
        }
        List<Action> ordered = new ArrayList<>(persistAndEvents);
        ordered.addAll(actions);
        Expectations next = new Expectations(creates, deletes, lastBatchAt, counted, problem);
        return new Plan(ordered, next, wakeUp, false);
    }

    /**
     * The driver is gone or done: remove every executor still there, also those created but not seen yet (their
     * create succeeded, so the delete by name finds them), then forget the app. {@code event} is recorded (once) when
     * there are executors to remove, for an end the driver pod itself does not show. What {@code keep} keeps is
     * labelled inactive (Spark's mark for a kept executor), so that it stays kept after the app is forgotten.
     */
    private static Plan endOfApp(AppSnapshot snapshot, Expectations expected, Map<Long, Instant> deletes, Instant now, String why,
                                 Optional<RecordEvent> event, Keep keep) {
        List<Action> actions = new ArrayList<>();
        for (ExecutorPod executor : snapshot.executors().values()) {
            if (keep.keeps(executor)) {
                if (!executor.inactive()) {
                    actions.add(new MarkInactive(executor.id(), executor.podName()));
                }
                continue;
            }
            if (executor.state() != ExecutorState.DELETED && !deletes.containsKey(executor.id())) {
                actions.add(new DeleteExecutor(executor.id(), executor.podName(), why));
                deletes.put(executor.id(), now);
            }
        }
        for (Long id : expected.creates().keySet()) {
            if (!snapshot.executors().containsKey(id) && !deletes.containsKey(id)) {
                // Forgetting the app now would leave this pod behind once it shows up (a notebook's sidecar stops here).
                actions.add(new DeleteExecutor(id, null, why));
                deletes.put(id, now);
            }
        }
        Optional<String> reported = event.map(RecordEvent::message);
        if (!actions.isEmpty() && reported.isPresent() && !reported.equals(expected.reportedProblem())) {
            actions.add(0, event.get());
        }
        boolean finished = actions.isEmpty() && snapshot.executors().values().stream().allMatch(keep::keeps);
        Expectations next = new Expectations(Map.of(), deletes, expected.lastBatchAt(), Set.of(), reported);
        Optional<Instant> wakeUp = finished ? Optional.empty() : earliestDeadline(Map.of(), null, deletes);
        return new Plan(actions, next, wakeUp, finished);
    }

    /**
     * A stale heartbeat alone is not proof: after an API server outage longer than the timeout, a live driver's
     * heartbeat is stale until its next renewal, and one executor may have failed meanwhile for its own reasons.
     * Executors of a dead driver all exit (they lose its RPC endpoint) while a live driver's keep running, so the
     * driver counts as gone only once no executor runs or is still being created (pending pods prove nothing: they
     * may never be scheduled; those being deleted do not count, which keeps the decision once they are on their way).
     */
    private static boolean noExecutorRunning(Map<Long, ExecutorPod> executors, Map<Long, Instant> deletes,
                                             Map<Long, Expectations.InFlightCreate> creates, AppSettings settings, Instant now) {
        boolean creating = creates.entrySet().stream().anyMatch(c -> !executors.containsKey(c.getKey())
                && !c.getValue().at().plus(settings.podCreationTimeout()).isBefore(now));
        return !creating && executors.values().stream()
                .noneMatch(e -> !e.inactive() && !deletes.containsKey(e.id()) && e.state() == ExecutorState.RUNNING);
    }

    /** A resource profile below its target: how many executors it misses and how many of its own are not running. */
    private record Shortfall(int resourceProfileId, long missing, int notRunning) {
    }

    /** The deletes for a lower target, and when the next protected executor may go. */
    private record ExcessRemoval(List<DeleteExecutor> deletes, Optional<Instant> nextEligible) {
    }

    /** An executor a lower target may remove: {@code podName} null for a create not seen yet. */
    private record Removable(long id, String podName, Optional<Instant> createdAt) {
    }

    /**
     * Not-yet-running executors go newest first: creates not seen yet, then pending pods by id. Like Spark, an executor
     * younger than spark.dynamicAllocation.executorIdleTimeout is kept, so a target that dips between stages does not
     * churn pods; the plan asks to look again when the next one comes of age.
     */
    private static ExcessRemoval removeExcess(long excess, int wanted, List<Long> inFlightNewestFirst, List<ExecutorPod> live,
                                              Map<Long, Expectations.InFlightCreate> creates, Map<Long, Instant> deletes,
                                              AppSettings settings, Instant now) {
        List<Removable> newestFirst = new ArrayList<>();
        inFlightNewestFirst.forEach(id -> newestFirst.add(new Removable(id, null, Optional.of(creates.get(id).at()))));
        live.stream().filter(e -> e.state() == ExecutorState.PENDING).sorted(Comparator.comparingLong(ExecutorPod::id).reversed())
                .forEach(e -> newestFirst.add(new Removable(e.id(), e.podName(), e.createdAt())));
        List<DeleteExecutor> removed = new ArrayList<>();
        Optional<Instant> nextEligible = Optional.empty();
        for (Removable candidate : newestFirst) {
            if (removed.size() == excess) {
                return new ExcessRemoval(removed, Optional.empty());
            }
            // A pod without a creation time counts as old enough, as in Spark.
            Optional<Instant> eligible = candidate.createdAt().map(at -> at.plus(settings.newExecutorProtection()));
            if (eligible.isEmpty() || now.isAfter(eligible.get())) {
                removed.add(new DeleteExecutor(candidate.id(), candidate.podName(), "target lowered to " + wanted, true));
                creates.remove(candidate.id());
                deletes.put(candidate.id(), now);
            } else {
                nextEligible = earliest(nextEligible, Optional.of(eligible.get().plusMillis(1)));
            }
        }
        return new ExcessRemoval(removed, removed.size() == excess ? Optional.empty() : nextEligible);
    }

    /**
     * One round's creates, why creation stops for good if an id reaches spark.kubernetes.allocation.maximum, and whether
     * the round was cut short to wait for a claim to come free.
     */
    private record Batch(List<CreateExecutor> creates, Optional<String> maximumReached, boolean waitsForClaim) {
    }

    /**
     * The next ids after {@code lastId} for the profiles below target: each gets at most batch.size, its share of the
     * free pending-pod slots and what maxPendingPodsPerRp leaves it; with a claim budget, only as many as find claims.
     */
    private static Batch nextBatch(List<Shortfall> shortfalls, long slots, long lastId, AppSettings settings, Optional<ClaimBudget> claims) {
        List<CreateExecutor> batch = new ArrayList<>();
        List<Long> shares = splitSlots(shortfalls.size(), slots);
        Optional<ClaimBudget> budget = claims;
        long id = lastId;
        for (int i = 0; i < shortfalls.size(); i++) {
            Shortfall shortfall = shortfalls.get(i);
            long toCreate = Math.min(Math.min(shortfall.missing(), settings.batchSize()),
                    Math.min(shares.get(i), (long) settings.maxPendingPodsPerRp() - shortfall.notRunning()));
            for (long n = 0; n < toCreate; n++) {
                if (id + 1 >= settings.allocationMaximum()) {
                    return new Batch(batch, Optional.of("executor id " + (id + 1) + " reaches spark.kubernetes.allocation.maximum="
                            + settings.allocationMaximum()), false);
                }
                if (budget.isPresent()) {
                    budget = budget.get().afterOneMore();
                    if (budget.isEmpty()) {
                        return new Batch(batch, Optional.empty(), true);
                    }
                }
                batch.add(new CreateExecutor(++id, shortfall.resourceProfileId()));
            }
        }
        return new Batch(batch, Optional.empty(), false);
    }

    /** Spark's ExecutorPodsAllocator.splitSlots: {@code slots} shared evenly, the first profiles get the remainder. */
    static List<Long> splitSlots(int consumers, long slots) {
        List<Long> shares = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            shares.add(slots / consumers + (i < slots % consumers ? 1 : 0));
        }
        return shares;
    }

    private static Map<Long, ExecutorPod> bySparkContainerOnly(Map<Long, ExecutorPod> executors) {
        Map<Long, ExecutorPod> judged = new LinkedHashMap<>();
        executors.forEach((id, executor) -> judged.put(id, executor.judgedBySparkContainerOnly()));
        return judged;
    }

    /** Deletes stay expected while their pods are visible, and are retried after a while. */
    private static Map<Long, Instant> confirmDeletes(Map<Long, Instant> deletes, Map<Long, ExecutorPod> executors, Instant now) {
        Map<Long, Instant> remaining = new HashMap<>();
        deletes.forEach((id, at) -> {
            if (executors.containsKey(id) && at.plus(DELETE_RETRY).isAfter(now)) {
                remaining.put(id, at);
            }
        });
        return remaining;
    }

    private static Optional<Instant> earliestDeadline(Map<Long, Expectations.InFlightCreate> creates, AppSettings settings,
                                                      Map<Long, Instant> deletes) {
        Optional<Instant> wakeUp = Optional.empty();
        if (settings != null) {
            for (var create : creates.values()) {
                wakeUp = earliest(wakeUp, Optional.of(create.at().plus(settings.podCreationTimeout()).plusMillis(1)));
            }
        }
        for (Instant at : deletes.values()) {
            wakeUp = earliest(wakeUp, Optional.of(at.plus(DELETE_RETRY).plusMillis(1)));
        }
        return wakeUp;
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
    }

    private static long maxKey(Map<Long, ?> map) {
        return map.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The pod's phase; a pod without one yet counts as Pending. */
    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    /**
     * Succeeded, Failed, being deleted, or its Spark container has exited (with a native sidecar the
     * pod stays Running until the sidecar stops, so the container's state is what counts).
     */
    /** Which executors outlive their ended app. */
    private enum Keep {
        /** The driver pod is gone or being deleted (or the app ended without it ending): every executor goes. */
        NOTHING,
        /** Executors kept during the run (deleteOnTermination=false labelled them inactive). */
        INACTIVE,
        /** deleteOnTermination=false: also every executor that started; one still pending would wait for a node for ever. */
        STARTED;

        boolean keeps(ExecutorPod executor) {
            return switch (this) {
                case NOTHING -> false;
                case INACTIVE -> executor.inactive();
                case STARTED -> executor.inactive() || executor.state() == ExecutorState.RUNNING
                        || executor.state() == ExecutorState.SUCCEEDED || executor.state() == ExecutorState.FAILED;
            };
        }
    }

    /**
     * Inactive executors are kept whatever the settings say: after a restart, or once the app was forgotten, a finished
     * driver's conf is no longer at hand, and the label is what remembers that Spark's deleteOnTermination was false.
     */
    private static Keep keeping(AppSettings settings) {
        return settings.deleteOnTermination() ? Keep.INACTIVE : Keep.STARTED;
    }

    public static boolean isFinished(Pod driver) {
        String phase = phase(driver);
        if (phase.equals("Succeeded") || phase.equals("Failed") || driver.getMetadata().getDeletionTimestamp() != null) {
            return true;
        }
        String sparkContainer = SparkContainers.driver(driver).orElse(SparkContainers.DRIVER);
        return driver.getStatus() != null && driver.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> sparkContainer.equals(c.getName()) && c.getState() != null && c.getState().getTerminated() != null);
    }
}
