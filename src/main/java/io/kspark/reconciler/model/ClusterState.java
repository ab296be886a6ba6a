package io.kspark.reconciler.model;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reconciler's view of every application in its scope, folded from watch and list events.
 * Immutable: {@link #apply} returns the next state and which applications changed.
 *
 * @param apps        every application's snapshot
 * @param tombstones  the latest pods the watch saw deleted (namespace/name/uid) with the resource version of the
 *                    delete: a list taken before the delete (a poll still in flight) must not bring them back
 */
public record ClusterState(Map<AppKey, AppSnapshot> apps, Map<String, Long> tombstones) {

    /** The next state and the applications whose snapshot changed. */
    public record Transition(ClusterState state, Set<AppKey> changed) {
    }

    static final int MAX_TOMBSTONES = 1024;

    public ClusterState {
        apps = Collections.unmodifiableMap(apps);
        tombstones = Collections.unmodifiableMap(tombstones);
    }

    public static ClusterState empty() {
        return new ClusterState(Map.of(), Map.of());
    }

    public Optional<AppSnapshot> app(AppKey key) {
        return Optional.ofNullable(apps.get(key));
    }

    public static Optional<AppKey> keyOf(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        String appId = labels == null ? null : labels.get("spark-app-selector");
        return appId == null ? Optional.empty() : Optional.of(new AppKey(pod.getMetadata().getNamespace(), appId));
    }

    public Transition apply(ClusterEvent event) {
        if (event instanceof ClusterEvent.Listed listed) {
            return relist(listed);
        }
        Pod pod = event instanceof ClusterEvent.Upserted u ? u.pod() : ((ClusterEvent.Deleted) event).pod();
        boolean deleted = event instanceof ClusterEvent.Deleted;
        Optional<AppKey> key = keyOf(pod);
        if (key.isEmpty()) {
            return new Transition(this, Set.of());
        }
        AppSnapshot before = apps.getOrDefault(key.get(), AppSnapshot.empty(key.get()));
        if (!deleted && olderThanKnown(event.kind(), pod, before)) {
            // A poll can be ahead of a lagging watch: its older event must not undo what the poll showed.
            return new Transition(this, Set.of());
        }
        AppSnapshot after = update(before, event.kind(), pod, deleted);
        Map<String, Long> nextTombstones = tombstones;
        if (deleted) {
            nextTombstones = withTombstone(tombstones, identity(pod), version(pod));
        }
        if (sameVersions(after, before)) {
            return new Transition(deleted ? new ClusterState(apps, nextTombstones) : this, Set.of());
        }
        Map<AppKey, AppSnapshot> next = new HashMap<>(apps);
        put(next, after);
        Set<AppKey> changed = new HashSet<>();
        changed.add(key.get());
        if (event.kind() == PodKind.DRIVER && !deleted) {
            changed.addAll(releaseDriverPod(next, key.get(), pod));
        }
        return new Transition(new ClusterState(next, nextTombstones), changed);
    }

    /**
     * Whether the state already holds a newer copy of this pod. A driver pod is looked for under every application: a
     * client-mode pod relabelled for the next application must not go back to the one before on an older event.
     */
    private boolean olderThanKnown(PodKind kind, Pod pod, AppSnapshot snapshot) {
        long version = version(pod);
        if (kind == PodKind.DRIVER) {
            return newestDriverCopies().getOrDefault(identity(pod), Long.MIN_VALUE) > version;
        }
        return ExecutorPod.idOf(pod).map(snapshot.executors()::get)
                .filter(known -> samePod(known.pod(), pod) && version(known.pod()) > version).isPresent();
    }

    /** Each driver pod the state holds (namespace/name/uid) with its newest version under any application. */
    private Map<String, Long> newestDriverCopies() {
        Map<String, Long> newest = new HashMap<>();
        for (AppSnapshot snapshot : apps.values()) {
            snapshot.driver().ifPresent(d -> newest.merge(identity(d), version(d), Math::max));
        }
        return newest;
    }

    /**
     * A driver pod now labelled for {@code owner} no longer drives the application it was labelled for before (a
     * client-mode driver pod runs one application after another): that application loses its driver.
     */
    private static Set<AppKey> releaseDriverPod(Map<AppKey, AppSnapshot> apps, AppKey owner, Pod pod) {
        Set<AppKey> released = new HashSet<>();
        for (AppSnapshot snapshot : List.copyOf(apps.values())) {
            if (!snapshot.key().equals(owner) && snapshot.key().namespace().equals(owner.namespace())
                    && snapshot.driver().filter(d -> d.getMetadata().getName().equals(pod.getMetadata().getName())).isPresent()) {
                put(apps, snapshot.withDriver(Optional.empty()));
                released.add(snapshot.key());
            }
        }
        return released;
    }

    private static AppSnapshot update(AppSnapshot snapshot, PodKind kind, Pod pod, boolean deleted) {
        if (kind == PodKind.DRIVER) {
            return snapshot.withDriver(deleted ? Optional.empty() : Optional.of(pod));
        }
        Optional<Long> id = ExecutorPod.idOf(pod);
        if (id.isEmpty()) {
            return snapshot;
        }
        return deleted ? snapshot.withoutExecutor(id.get()) : snapshot.withExecutor(ExecutorPod.of(pod, id.get()));
    }

    /**
     * Replaces the listed kind in the listed scope, except where a watch event was newer: a list that took a
     * while (a poll) must not roll a pod back to an older state, nor drop one created after it was taken.
     */
    private Transition relist(ClusterEvent.Listed listed) {
        long listVersion = version(listed.resourceVersion());
        Map<AppKey, Map<Long, ExecutorPod>> executorsByApp = new HashMap<>();
        Map<AppKey, Pod> driversByApp = new HashMap<>();
        Map<String, Long> newestDrivers = listed.kind() == PodKind.DRIVER ? newestDriverCopies() : Map.of();
        for (Pod pod : listed.pods()) {
            Optional<AppKey> key = keyOf(pod);
            Long deletedAt = tombstones.get(identity(pod));
            if (key.isEmpty() || (deletedAt != null && listVersion < deletedAt)) {
                continue;
            }
            if (listed.kind() == PodKind.DRIVER) {
                if (newestDrivers.getOrDefault(identity(pod), Long.MIN_VALUE) > version(pod)
                        && apps.getOrDefault(key.get(), AppSnapshot.empty(key.get())).driver().filter(d -> samePod(d, pod)).isEmpty()) {
                    // The watch has seen this pod relabelled since the list was taken: it drives another app now.
                    continue;
                }
                driversByApp.put(key.get(), pod);
            } else {
                ExecutorPod.idOf(pod).ifPresent(id -> executorsByApp.computeIfAbsent(key.get(), k -> new LinkedHashMap<>())
                        .put(id, ExecutorPod.of(pod, id)));
            }
        }
        Set<AppKey> keys = new HashSet<>(apps.keySet());
        keys.addAll(listed.kind() == PodKind.DRIVER ? driversByApp.keySet() : executorsByApp.keySet());
        Map<AppKey, AppSnapshot> next = new HashMap<>(apps);
        Set<AppKey> changed = new HashSet<>();
        for (AppKey key : keys) {
            if (listed.namespace().isPresent() && !listed.namespace().get().equals(key.namespace())) {
                continue;
            }
            AppSnapshot before = apps.getOrDefault(key, AppSnapshot.empty(key));
            AppSnapshot after;
            if (listed.kind() == PodKind.DRIVER) {
                Optional<Pod> known = before.driver();
                Optional<Pod> listedDriver = Optional.ofNullable(driversByApp.get(key));
                if (listedDriver.isPresent()) {
                    after = known.filter(d -> samePod(d, listedDriver.get()) && version(d) > version(listedDriver.get())).isPresent()
                            ? before : before.withDriver(listedDriver);
                } else {
                    after = known.filter(d -> version(d) > listVersion).isPresent() ? before : before.withDriver(Optional.empty());
                }
            } else {
                Map<Long, ExecutorPod> merged = new LinkedHashMap<>(executorsByApp.getOrDefault(key, Map.of()));
                before.executors().forEach((id, executor) -> {
                    ExecutorPod listedExecutor = merged.get(id);
                    boolean newerThanList = listedExecutor == null
                            ? version(executor.pod()) > listVersion
                            : samePod(executor.pod(), listedExecutor.pod()) && version(executor.pod()) > version(listedExecutor.pod());
                    if (newerThanList) {
                        merged.put(id, executor);
                    }
                });
                after = before.withExecutors(merged);
            }
            if (!sameVersions(after, before)) {
                put(next, after);
                changed.add(key);
            }
        }
        return new Transition(changed.isEmpty() ? this : new ClusterState(next, tombstones), changed);
    }

    /**
     * Adds a tombstone, forgetting the oldest beyond {@link #MAX_TOMBSTONES}: a list still in flight is never older
     * than that many deletes, and memory stays bounded for a controller that runs for months.
     */
    private static Map<String, Long> withTombstone(Map<String, Long> tombstones, String pod, long deletedAt) {
        Map<String, Long> next = new HashMap<>(tombstones);
        next.put(pod, deletedAt);
        if (next.size() > MAX_TOMBSTONES) {
            next.entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(oldest -> next.remove(oldest.getKey()));
        }
        return next;
    }

    private static String identity(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + "/" + pod.getMetadata().getUid();
    }

    /** Same pods at the same resource versions: nothing a reconciler could act on changed. */
    static boolean sameVersions(AppSnapshot a, AppSnapshot b) {
        if (a.driver().isPresent() != b.driver().isPresent()
                || (a.driver().isPresent() && !java.util.Objects.equals(
                        a.driver().get().getMetadata().getResourceVersion(), b.driver().get().getMetadata().getResourceVersion()))
                || !a.executors().keySet().equals(b.executors().keySet())) {
            return false;
        }
        for (var entry : a.executors().entrySet()) {
            if (!java.util.Objects.equals(entry.getValue().pod().getMetadata().getResourceVersion(),
                    b.executors().get(entry.getKey()).pod().getMetadata().getResourceVersion())) {
                return false;
            }
        }
        return true;
    }

    private static boolean samePod(Pod a, Pod b) {
        return java.util.Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid())
                && a.getMetadata().getName().equals(b.getMetadata().getName());
    }

    private static void put(Map<AppKey, AppSnapshot> apps, AppSnapshot snapshot) {
        if (snapshot.isEmpty()) {
            apps.remove(snapshot.key());
        } else {
            apps.put(snapshot.key(), snapshot);
        }
    }

    /** The pod's resource version, to tell which of two reads of it is newer. */
    public static long version(Pod pod) {
        return version(pod.getMetadata().getResourceVersion());
    }

    /** Resource versions are opaque, but numeric in practice; unparsable ones count as oldest. */
    static long version(String resourceVersion) {
        try {
            return resourceVersion == null ? Long.MIN_VALUE : Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
