package io.kspark.reconciler.io;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
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
 * Spark's reuse of executor claims (ExecutorPodsAllocator.getReusablePVCs and replacePVCsIfNeeded), for one batch of
 * creates: a driver-owned claim of the app that no executor pod mounts any more and that is older than the pod
 * creation timeout goes to the next executor wanting a claim of the same storage class and size, so OnDemand claims
 * (and the shuffle data on them) do not pile up as executors come and go. Claims and the app's pods are listed once
 * per batch, on first use.
 */
final class ReusableClaims {

    private static final Logger LOG = Logger.getLogger(ReusableClaims.class);

    private final Supplier<List<PersistentVolumeClaim>> claims;
    private final Supplier<List<Pod>> appPods;
    private final Instant olderThan;
    private List<PersistentVolumeClaim> available;

    /** {@code appPods}: the application's pods, driver included (its own OnDemand claims carry the app's label too). */
    ReusableClaims(Supplier<List<PersistentVolumeClaim>> claims, Supplier<List<Pod>> appPods, Instant now, Duration minimumAge) {
        this.claims = claims;
        this.appPods = appPods;
        this.olderThan = now.minus(minimumAge);
    }

    /** The name of a free claim like {@code wanted}, now taken; empty when there is none (or they cannot be listed). */
    Optional<String> take(PersistentVolumeClaim wanted) {
        if (available == null) {
            available = listAvailable();
        }
        for (var it = available.iterator(); it.hasNext(); ) {
            PersistentVolumeClaim candidate = it.next();
            if (Objects.equals(candidate.getSpec().getStorageClassName(), wanted.getSpec().getStorageClassName())
                    && Objects.equals(storage(candidate), storage(wanted))) {
                it.remove();
                return Optional.of(candidate.getMetadata().getName());
            }
        }
        return Optional.empty();
    }

    private List<PersistentVolumeClaim> listAvailable() {
        try {
            Set<String> inUse = new HashSet<>();
            for (Pod pod : appPods.get()) {
                if (pod.getSpec() != null) {
                    pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                            .forEach(v -> inUse.add(v.getPersistentVolumeClaim().getClaimName()));
                }
            }
            List<PersistentVolumeClaim> free = new ArrayList<>();
            for (PersistentVolumeClaim claim : claims.get()) {
                String created = claim.getMetadata().getCreationTimestamp();
                if (!inUse.contains(claim.getMetadata().getName()) && claim.getMetadata().getDeletionTimestamp() == null
                        && created != null && Instant.parse(created).isBefore(olderThan)) {
                    free.add(claim);
                }
            }
            return free;
        } catch (RuntimeException e) {
            // As Spark: without the permission to list claims, new ones are created.
            LOG.infof("Cannot list PersistentVolumeClaims to reuse (%s); creating new ones", e.getMessage());
            return new ArrayList<>();
        }
    }

    private static Quantity storage(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        return resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
    }
}
