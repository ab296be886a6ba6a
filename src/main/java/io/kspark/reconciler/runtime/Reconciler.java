package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.io.ActionWriter;
import io.kspark.reconciler.io.AppContext;
import io.kspark.reconciler.io.AppContexts;
import io.kspark.reconciler.io.PodSource;
import io.kspark.reconciler.io.ReusableClaims;
import io.kspark.reconciler.io.UnusableSparkConf;
import io.kspark.reconciler.model.AppKey;
import io.kspark.reconciler.model.AppSnapshot;
import io.kspark.reconciler.model.ClusterEvent;
import io.kspark.reconciler.model.ClusterState;
import io.kspark.reconciler.model.ExecutorState;
import io.kspark.reconciler.model.PodKind;
import io.kspark.reconciler.plan.Action;
import io.kspark.reconciler.plan.AppSettings;
import io.kspark.reconciler.plan.ClaimBudget;
import io.kspark.reconciler.plan.Expectations;
import io.kspark.reconciler.plan.Plan;
import io.kspark.reconciler.plan.Planner;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The executor-pod reconciler for one scope. Watch and poll streams of driver and executor pods are
 * merged and folded into an immutable {@link ClusterState}; every application whose snapshot changes
 * gets a cycle: plan (pure) then write (idempotent), one cycle per application at a time. Nothing
 * runs before every source has delivered its first full list, so a fresh process never mistakes a
 * not-yet-listed driver for a vanished one.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    /** Per-application memory: expectations and the newest driver the writer saw (its own patch's result, or a conflict's read). */
    private record Memory(Expectations expectations, Optional<Pod> latestDriver) {
        static final Memory INITIAL = new Memory(Expectations.none(), Optional.empty());
    }

    private final KubernetesClient client;
    private final Scope scope;
    private final KsparkConfig.Reconciler config;
    private final ReconcilerMetrics metrics;
    private final Clock clock;
    private final BooleanSupplier leader;
    private final ExecutorService blocking;
    private final ScheduledExecutorService timers;
    private final AppContexts contexts;
    private final ActionWriter writer;
    private final AppWorkQueue queue;
    private final Map<AppKey, Memory> memories = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastListBySource = new ConcurrentHashMap<>();
    private final int expectedSources;
    private final ListFreshness freshness;
    private final List<Consumer<AppKey>> finishedListeners = new ArrayList<>();
    private volatile ClusterState state = ClusterState.empty();
    private volatile boolean synced;
    private volatile Cancellable subscription;

    public Reconciler(KubernetesClient client, Scope scope, KsparkConfig.Reconciler config, ReconcilerMetrics metrics, Clock clock,
                      BooleanSupplier leader) {
        this.client = client;
        this.scope = scope;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.leader = leader;
        AtomicInteger threads = new AtomicInteger();
        this.blocking = Executors.newFixedThreadPool(config.ioThreads(), r -> daemon(r, "kspark-io-" + threads.incrementAndGet()));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kspark-timers"));
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        this.contexts = new AppContexts(client);
        this.writer = new ActionWriter(client, scope.mode(), backoff, config.writeAttempts(), clock, leader);
        this.queue = new AppWorkQueue(this::cycle, timers, backoff, clock);
        this.expectedSources = scope.watchScopes().size() * PodKind.values().length;
        this.freshness = ListFreshness.forPollInterval(expectedSources, config.pollInterval());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Called with each application that ended and whose executors are all gone. */
    public Reconciler onAppFinished(Consumer<AppKey> listener) {
        finishedListeners.add(listener);
        return this;
    }

    public void start() {
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        List<Multi<ClusterEvent>> streams = new ArrayList<>();
        for (Optional<String> namespace : scope.watchScopes()) {
            for (PodKind kind : PodKind.values()) {
                PodSource source = new PodSource(client, kind, namespace, scope.labels(kind), scope.fields(kind), backoff, blocking, timers,
                        () -> metrics.watchRestart(kind));
                streams.add(source.watched());
                streams.add(source.polled(config.pollInterval()));
            }
        }
        metrics.observe(() -> state);
        subscription = Multi.createBy().merging().streams(streams)
                .subscribe().with(this::onEvent, failure -> LOG.errorf(failure, "event stream failed"));
    }

    /**
     * Folds one event into the state (the merged stream delivers events one at a time). An event that cannot be folded
     * is logged and skipped: thrown, it would cancel the one subscription every source feeds, and the next poll
     * brings the same pods back anyway.
     */
    private void onEvent(ClusterEvent event) {
        try {
            fold(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "scope=%s skipped an event it could not apply", scope.mode());
        }
    }

    private void fold(ClusterEvent event) {
        ClusterState.Transition transition = state.apply(event);
        state = transition.state();
        if (event instanceof ClusterEvent.Listed listed) {
            lastListBySource.put(listed.kind() + "@" + listed.namespace().orElse("*"), clock.instant());
            if (!synced && lastListBySource.size() >= expectedSources) {
                synced = true;
                LOG.infof("scope=%s synced: %d applications", scope.mode(), state.apps().size());
                state.apps().keySet().stream().filter(scope::covers).forEach(queue::trigger);
                return;
            }
        }
        if (synced) {
            transition.changed().stream().filter(scope::covers).forEach(queue::trigger);
        }
    }

    /** Re-runs every known application (e.g. after gaining leadership). */
    public void resyncAll() {
        if (synced) {
            state.apps().keySet().stream().filter(scope::covers).forEach(queue::trigger);
        }
    }

    private Uni<Optional<Instant>> cycle(AppKey key) {
        return Uni.createFrom().item(() -> reconcile(key)).runSubscriptionOn(blocking);
    }

    /** One plan-and-write cycle for one application; throws to make the queue back off. */
    private Optional<Instant> reconcile(AppKey key) {
        long started = System.nanoTime();
        try {
            Memory memory = memories.getOrDefault(key, Memory.INITIAL);
            AppSnapshot snapshot = withNewerDriver(state.app(key).orElse(AppSnapshot.empty(key)), memory.latestDriver());
            if (snapshot.isEmpty()) {
                // No driver and no executors left (e.g. its driver pod went on to the next application): done.
                forget(key);
                finishedListeners.forEach(listener -> listener.accept(key));
                return Optional.empty();
            }
            if (!leader.getAsBoolean()) {
                // Loading a context may write (the executor ConfigMap): a follower only keeps its cluster state warm,
                // and re-runs every app when it becomes the leader.
                return Optional.empty();
            }
            Optional<Pod> driver = snapshot.driver();
            Optional<AppContext> context;
            try {
                context = driver.filter(d -> !Planner.isFinished(d)).map(d -> contexts.get(key, d));
            } catch (UnusableSparkConf problem) {
                throw reportOnce(key, memory, driver.get(), problem);
            }
            // An ended driver's settings still say which executors to keep (Spark's deleteOnTermination).
            AppSettings settings = context.or(() -> contexts.cached(key)).map(AppContext::settings)
                    .orElseGet(() -> settingsOfEnded(key, snapshot));
            Instant now = clock.instant();
            ReusableClaims claims = ReusableClaims.of(client, key, now, settings.podCreationTimeout());
            Plan plan = withClaimBudget(key, snapshot, context, memory.expectations(), now, claims,
                    Planner.plan(snapshot, settings, memory.expectations(), now));
            if (!plan.actions().isEmpty() && LOG.isDebugEnabled()) {
                LOG.debugf("app=%s driver=%s executors=%s plan=%s", key, driver.map(d -> d.getMetadata().getResourceVersion()).orElse("-"),
                        snapshot.executors().values().stream().map(e -> e.id() + ":" + e.state()).toList(), plan.actions());
            }
            Pod driverForWrites = driver.orElse(null);
            ActionWriter.Result result = plan.actions().isEmpty()
                    ? new ActionWriter.Result(List.of(), Optional.empty(), Optional.empty())
                    : writer.apply(key, driverForWrites, context, plan.actions(), claims);
            Memory next = new Memory(keepApplied(memory.expectations(), plan, result), result.latestDriver().or(memory::latestDriver));
            memories.put(key, next);
            if (result.failure().isPresent()) {
                if (result.failure().get() instanceof UnusableSparkConf problem) {
                    throw reportOnce(key, next, driverForWrites, problem);
                }
                throw result.failure().get();
            }
            if (plan.appFinished()) {
                forget(key);
                finishedListeners.forEach(listener -> listener.accept(key));
            }
            return plan.wakeUpAt();
        } finally {
            metrics.reconciled(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * An app whose executors wait to reuse claims is planned again with its claims, listed only when the plan creates:
     * the pure planner cannot list, and most cycles create nothing.
     */
    private static Plan withClaimBudget(AppKey key, AppSnapshot snapshot, Optional<AppContext> context, Expectations expected, Instant now,
                                        ReusableClaims claims, Plan plan) {
        OptionalInt limit = context.map(AppContext::claimLimit).orElse(OptionalInt.empty());
        long creates = creates(plan);
        if (limit.isEmpty() || creates == 0) {
            return plan;
        }
        ClaimBudget budget = claims.budget(limit.getAsInt(), context.get().claimsPerExecutor());
        Plan limited = Planner.plan(snapshot, context.get().settings(), expected, now, Optional.of(budget));
        if (creates(limited) < creates) {
            LOG.infof("app=%s waits to reuse one of its %d executor claims (spark.kubernetes.driver.waitToReusePersistentVolumeClaim, at most %d)",
                    key, budget.existing(), budget.limit());
        }
        return limited;
    }

    private static long creates(Plan plan) {
        return plan.actions().stream().filter(Action.CreateExecutor.class::isInstance).count();
    }

    /**
     * A conf that cannot build executors is the user's to fix: a Warning Event on the driver pod and a log line, once per
     * distinct problem, then the cycle backs off as for any failure. A pending driver is left alone: a submission
     * creates the driver's ConfigMap just after its pod, and the pod cannot start without it anyway.
     */
    private UnusableSparkConf reportOnce(AppKey key, Memory memory, Pod driver, UnusableSparkConf problem) {
        Optional<String> message = Optional.of(problem.getMessage());
        if (!"Running".equals(Planner.phase(driver)) || message.equals(memory.expectations().reportedProblem()) || !leader.getAsBoolean()) {
            return problem;
        }
        LOG.warnf("app=%s kspark cannot create executors: %s", key, problem.getMessage());
        ActionWriter.Result event = writer.apply(key, driver, Optional.empty(),
                List.of(new Action.RecordEvent("Warning", "InvalidSparkConf", "kspark cannot create executors: " + problem.getMessage())));
        if (event.failure().isEmpty()) {
            memories.put(key, new Memory(memory.expectations().withReportedProblem(message), memory.latestDriver()));
        }
        return problem;
    }

    /** What the writer last saw of the driver may be newer than what the watch has delivered so far. */
    static AppSnapshot withNewerDriver(AppSnapshot snapshot, Optional<Pod> written) {
        if (written.isEmpty() || snapshot.driver().isEmpty()
                || ClusterState.version(written.get()) <= ClusterState.version(snapshot.driver().get())) {
            return snapshot;
        }
        // A newer read of a pod that is no longer this app's driver (relabelled for the next client-mode application,
        // or another pod of that name) says the app has lost its driver, as the watch will say soon.
        boolean stillOurs = Objects.equals(written.get().getMetadata().getUid(), snapshot.driver().get().getMetadata().getUid())
                && ClusterState.keyOf(written.get()).filter(snapshot.key()::equals).isPresent();
        return snapshot.withDriver(stillOurs ? written : Optional.empty());
    }

    /** Expectations for actions that were not applied are dropped, so the next cycle plans them again. */
    private static Expectations keepApplied(Expectations before, Plan plan, ActionWriter.Result result) {
        if (result.failure().isEmpty()) {
            return plan.expectations();
        }
        Set<Long> created = new HashSet<>();
        Set<Long> deleted = new HashSet<>();
        boolean persisted = false;
        for (Action action : result.applied()) {
            if (action instanceof Action.CreateExecutor c) {
                created.add(c.id());
            } else if (action instanceof Action.DeleteExecutor d) {
                deleted.add(d.id());
            } else if (action instanceof Action.PersistAllocation) {
                persisted = true;
            }
        }
        Expectations planned = plan.expectations();
        Map<Long, Expectations.InFlightCreate> creates = new HashMap<>(before.creates());
        planned.creates().forEach((id, create) -> {
            if (created.contains(id)) {
                creates.put(id, create);
            }
        });
        Map<Long, Instant> deletes = new HashMap<>(before.deletes());
        planned.deletes().forEach((id, at) -> {
            if (deleted.contains(id)) {
                deletes.put(id, at);
            }
        });
        // A failure counts once it is in the driver's annotation; until then the next cycle counts it again.
        Set<Long> counted = persisted ? planned.countedFailures() : before.countedFailures();
        return new Expectations(creates, deletes, created.isEmpty() ? before.lastBatchAt() : planned.lastBatchAt(),
                counted, planned.reportedProblem());
    }

    /**
     * Read only when the app still has executors not already kept (labelled inactive): most ended apps have none, and
     * a restarted controller sees every ended driver in its namespaces.
     */
    private AppSettings settingsOfEnded(AppKey key, AppSnapshot snapshot) {
        boolean undecided = snapshot.executors().values().stream().anyMatch(e -> !e.inactive() && e.state() != ExecutorState.DELETED);
        Optional<Pod> ended = snapshot.driver().filter(d -> Planner.isFinished(d) && d.getMetadata().getDeletionTimestamp() == null);
        return ended.filter(d -> undecided).flatMap(d -> contexts.settingsOfEnded(key, d)).orElseGet(AppSettings::defaults);
    }

    private void forget(AppKey key) {
        memories.remove(key);
        contexts.forget(key);
        queue.forget(key);
    }

    public ClusterState state() {
        return state;
    }

    public boolean synced() {
        return synced;
    }

    /** Synced, and no source has gone {@link ListFreshness#window()} without a list: the API server is still reachable. */
    public boolean fresh() {
        return synced && freshness.isFresh(lastListBySource, clock.instant());
    }

    public long staleSources() {
        return freshness.staleSources(lastListBySource, clock.instant());
    }

    public Scope scope() {
        return scope;
    }

    public KubernetesClient client() {
        return client;
    }

    public Optional<Expectations> expectations(AppKey key) {
        return Optional.ofNullable(memories.get(key)).map(Memory::expectations);
    }

    @Override
    public void close() {
        Cancellable current = subscription;
        if (current != null) {
            current.cancel();
        }
        timers.shutdownNow();
        blocking.shutdownNow();
        try {
            // Let a cycle that is writing finish or fail, so nothing is written after close returns.
            blocking.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
