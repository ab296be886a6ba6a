package io.kspark.reconciler.io;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.kspark.reconciler.model.ClusterEvent;
import io.kspark.reconciler.model.PodKind;
import io.kspark.reconciler.runtime.Backoff;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pods of one kind in one namespace scope, as two streams that never fail: list-then-watch sessions
 * (a closed or expired watch starts a new session with a fresh list; errors back off), and periodic
 * full lists. Watch callbacks only emit; listing runs on the blocking executor.
 */
public final class PodSource {

    private static final Logger LOG = Logger.getLogger(PodSource.class);
    /** A watch open this long without an event still counts as working (a quiet namespace sends nothing). */
    private static final Duration HEALTHY_WATCH = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final PodKind kind;
    private final Optional<String> namespace;
    private final Map<String, String> labels;
    private final Map<String, String> fields;
    private final Backoff backoff;
    private final Executor blocking;
    private final ScheduledExecutorService timers;
    private final Runnable onWatchRestart;

    public PodSource(KubernetesClient client, PodKind kind, Optional<String> namespace, Map<String, String> labels,
                     Map<String, String> fields, Backoff backoff, Executor blocking, ScheduledExecutorService timers, Runnable onWatchRestart) {
        this.client = client;
        this.kind = kind;
        this.namespace = namespace;
        this.labels = Map.copyOf(labels);
        this.fields = Map.copyOf(fields);
        this.backoff = backoff;
        this.blocking = blocking;
        this.timers = timers;
        this.onWatchRestart = onWatchRestart;
    }

    private FilterWatchListDeletable<Pod, PodList, PodResource> pods() {
        FilterWatchListDeletable<Pod, PodList, PodResource> selected = namespace.map(ns -> client.pods().inNamespace(ns).withLabels(labels))
                .orElseGet(() -> client.pods().inAnyNamespace().withLabels(labels));
        return fields.isEmpty() ? selected : selected.withFields(fields);
    }

    /** A fresh full list as an event. */
    public ClusterEvent.Listed list() {
        PodList list = pods().list();
        return new ClusterEvent.Listed(kind, namespace, list.getItems(), list.getMetadata().getResourceVersion());
    }

    /** List, then watch from the list's resource version; repeats forever until cancelled. */
    public Multi<ClusterEvent> watched() {
        return Multi.createFrom().emitter(emitter -> {
            Session session = new Session(emitter);
            emitter.onTermination(session::stop);
            session.schedule(Duration.ZERO);
        });
    }

    /** A full list every {@code interval}; a failed list is skipped (the next one will try again). */
    public Multi<ClusterEvent> polled(Duration interval) {
        return Multi.createFrom().ticks().startingAfter(interval).every(interval)
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> Uni.createFrom().item(this::list)
                        .runSubscriptionOn(blocking)
                        .onFailure().invoke(e -> LOG.debugf("poll of %s pods failed: %s", kind, e.getMessage()))
                        .onFailure().recoverWithNull())
                .map(ClusterEvent.class::cast);
    }

    /** One watch at a time; each new session starts with a list so nothing missed is lost. */
    private final class Session {
        private final MultiEmitter<? super ClusterEvent> emitter;
        private volatile boolean stopped;
        private volatile Watch watch;
        private volatile int failures;
        private volatile long openedAt;
        private volatile boolean delivered;

        Session(MultiEmitter<? super ClusterEvent> emitter) {
            this.emitter = emitter;
        }

        void schedule(Duration delay) {
            if (stopped) {
                return;
            }
            timers.schedule(() -> blocking.execute(this::run), delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void run() {
            if (stopped) {
                return;
            }
            try {
                ClusterEvent.Listed listed = list();
                if (stopped) {
                    return; // cancelled while listing: open no watch nobody will close
                }
                emitter.emit(listed);
                // Set before opening: the watch may close (or deliver) before watch() returns. It is not a success yet: a
                // watch that a proxy closes as soon as it opens must back off, not relist in a loop.
                openedAt = System.nanoTime();
                delivered = false;
                Watch opened = pods().withResourceVersion(listed.resourceVersion()).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        if (pod == null || action == Action.ERROR || action == Action.BOOKMARK) {
                            return;
                        }
                        delivered = true;
                        emitter.emit(action == Action.DELETED ? new ClusterEvent.Deleted(kind, pod) : new ClusterEvent.Upserted(kind, pod));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        restart(cause);
                    }

                    @Override
                    public void onClose() {
                        restart(null);
                    }
                });
                watch = opened;
                if (stopped) {
                    opened.close(); // stop() ran while the watch was opening and could not see it
                }
            } catch (RuntimeException e) {
                LOG.debugf("list/watch of %s pods failed: %s", kind, e.getMessage());
                onWatchRestart.run();
                schedule(backoff.delay(++failures));
            }
        }

        /**
         * A watch that had worked (delivered something, or stayed open a while) and ends normally or with 410 Gone: start
         * over with a fresh list at once, from the first backoff step. Anything else (the client re-opens nothing itself,
         * so a dropped, refused or at-once-closed watch arrives here too) backs off.
         */
        private void restart(WatcherException cause) {
            if (stopped) {
                return;
            }
            onWatchRestart.run();
            boolean healthy = delivered || System.nanoTime() - openedAt > HEALTHY_WATCH.toNanos();
            if (healthy) {
                failures = 0;
            }
            boolean immediate = healthy && (cause == null || cause.isHttpGone());
            LOG.debugf("watch of %s pods closed (%s); relisting", kind, cause == null ? "closed" : cause.getMessage());
            schedule(immediate ? Duration.ZERO : backoff.delay(++failures));
        }

        void stop() {
            stopped = true;
            Watch current = watch;
            if (current != null) {
                current.close();
            }
        }
    }
}
