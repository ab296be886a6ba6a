package io.kspark.reconciler.io;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.AppKey;
import io.kspark.reconciler.plan.ClaimBudget;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Spark's reuse of executor claims (ExecutorPodsAllocator.getReusablePVCs and replacePVCsIfNeeded), for one cycle's
 * creates: a driver-owned claim of the app that no executor pod mounts any more and that is older than the pod
 * creation timeout goes to the next executor wanting a claim of the same storage class and size, so OnDemand claims
 * (and the shuffle data on them) do not pile up as executors come and go. Claims and the app's pods are listed once
 * per cycle, on first use, and also answer how many claims the app holds ({@link #budget}).
 */
public final class ReusableClaims {

    private static final Logger LOG = Logger.getLogger(ReusableClaims.class);

    private final Supplier<List<PersistentVolumeClaim>> claims;
    private final Supplier<List<Pod>> appPods;
    private final Instant now;
    private final Duration minimumAge;
    private Listing listing;
    private List<PersistentVolumeClaim> available;

    /** What one listing found: the app's claims outside its driver, those executors mount, and the free ones. */
    private record Listing(List<PersistentVolumeClaim> executorClaims, Set<String> inUse, List<PersistentVolumeClaim> free) {
        static final Listing NONE = new Listing(List.of(), Set.of(), List.of());
    }

    /** {@code appPods}: the application's pods, driver included (its own OnDemand claims carry the app's label too). */
    ReusableClaims(Supplier<List<PersistentVolumeClaim>> claims, Supplier<List<Pod>> appPods, Instant now, Duration minimumAge) {
        this.claims = claims;
        this.appPods = appPods;
        this.now = now;
        this.minimumAge = minimumAge;
    }

    /**
     * The claims of {@code key}'s application as the API server has them. Pods are listed rather than taken from a
     * snapshot: one created a moment ago (not seen yet) mounts its claim too.
     */
    public static ReusableClaims of(KubernetesClient client, AppKey key, Instant now, Duration minimumAge) {
        return new ReusableClaims(
                () -> client.persistentVolumeClaims().inNamespace(key.namespace()).withLabel("spark-app-selector", key.appId()).list().getItems(),
                () -> client.pods().inNamespace(key.namespace()).withLabel("spark-app-selector", key.appId()).list().getItems(),
                now, minimumAge);
    }

    /**
     * The app's executor claims against {@code limit}; a claim being deleted no longer counts. Unreadable claims count
     * as none, so a reconciler without the permission to list them creates executors as if it did not wait.
     */
    public ClaimBudget budget(int limit, int perExecutor) {
        Listing listed = listing();
        Optional<Instant> nextFreeAt = Optional.empty();
        for (PersistentVolumeClaim claim : listed.executorClaims()) {
            Optional<Instant> reusableAt = createdAt(claim).map(at -> at.plus(minimumAge));
            if (!listed.inUse().contains(claim.getMetadata().getName()) && reusableAt.isPresent() && !reusableAt.get().isBefore(now)
                    && (nextFreeAt.isEmpty() || reusableAt.get().isBefore(nextFreeAt.get()))) {
                nextFreeAt = reusableAt.map(at -> at.plusMillis(1));
            }
        }
        return new ClaimBudget(limit, listed.executorClaims().size(), available().size(), perExecutor, nextFreeAt);
    }

    /** The name of a free claim like {@code wanted}, now taken; empty when there is none (or they cannot be listed). */
    Optional<String> take(PersistentVolumeClaim wanted) {
        for (var it = available().iterator(); it.hasNext(); ) {
            PersistentVolumeClaim candidate = it.next();
            if (Objects.equals(candidate.getSpec().getStorageClassName(), wanted.getSpec().getStorageClassName())
                    && Objects.equals(storage(candidate), storage(wanted))) {
                it.remove();
                return Optional.of(candidate.getMetadata().getName());
            }
        }
        return Optional.empty();
    }

    /** The free claims not yet taken in this cycle. */
    private List<PersistentVolumeClaim> available() {
        if (available == null) {
            available = new ArrayList<>(listing().free());
        }
        return available;
    }

    private Listing listing() {
        if (listing == null) {
            listing = list();
        }
        return listing;
    }

    private Listing list() {
        try {
            Set<String> inUse = new HashSet<>();
            Set<String> driverClaims = new HashSet<>();
            for (Pod pod : appPods.get()) {
                if (pod.getSpec() != null) {
                    boolean driver = "driver".equals(pod.getMetadata().getLabels().get("spark-role"));
                    pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                            .map(v -> v.getPersistentVolumeClaim().getClaimName())
                            .forEach(name -> (driver ? driverClaims : inUse).add(name));
                }
            }
            List<PersistentVolumeClaim> executorClaims = new ArrayList<>();
            List<PersistentVolumeClaim> free = new ArrayList<>();
            Instant olderThan = now.minus(minimumAge);
            for (PersistentVolumeClaim claim : claims.get()) {
                String name = claim.getMetadata().getName();
                if (driverClaims.contains(name) || claim.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                executorClaims.add(claim);
                if (!inUse.contains(name) && createdAt(claim).filter(at -> at.isBefore(olderThan)).isPresent()) {
                    free.add(claim);
                }
            }
            return new Listing(executorClaims, inUse, free);
        } catch (RuntimeException e) {
            // As Spark: without the permission to list claims, new ones are created.
            LOG.infof("Cannot list PersistentVolumeClaims to reuse (%s); creating new ones", e.getMessage());
            return Listing.NONE;
        }
    }

    private static Optional<Instant> createdAt(PersistentVolumeClaim claim) {
        return Optional.ofNullable(claim.getMetadata().getCreationTimestamp()).map(Instant::parse);
    }

    private static Quantity storage(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        return resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
    }
}
