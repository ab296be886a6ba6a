package io.kspark.reconciler.io;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.reconciler.Pods;
import io.kspark.reconciler.plan.ClaimBudget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReusableClaimsTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration MINIMUM_AGE = Duration.ofSeconds(60);

    static PersistentVolumeClaim claim(String name, Instant created, boolean deleting) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withCreationTimestamp(created.toString())
                .withDeletionTimestamp(deleting ? NOW.toString() : null).endMetadata()
                .withNewSpec().withStorageClassName("standard").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build();
    }

    static Pod mounting(Pod pod, String claim) {
        return new PodBuilder(pod).editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume().endSpec().build();
    }

    @Test
    void countsTheExecutorsClaimsFreeOnesAndWhenTheNextComesOfAge() {
        Instant old = NOW.minusSeconds(600);
        Instant young = NOW.minusSeconds(20);
        List<PersistentVolumeClaim> claims = List.of(
                claim("driver-pvc-0", old, false),      // the driver's own: neither counted nor free
                claim("exec-1-pvc-0", old, false),      // mounted by executor 1
                claim("exec-2-pvc-0", old, false),      // free
                claim("exec-3-pvc-0", young, false),    // unmounted, reusable in 40 s
                claim("exec-4-pvc-0", old, true));      // on its way out: not counted
        List<Pod> pods = List.of(mounting(Pods.driver("Running", "3"), "driver-pvc-0"), mounting(Pods.executor(1, "Running", null), "exec-1-pvc-0"));
        AtomicInteger lists = new AtomicInteger();
        ReusableClaims reusable = new ReusableClaims(() -> {
            lists.incrementAndGet();
            return claims;
        }, () -> pods, NOW, MINIMUM_AGE);

        ClaimBudget budget = reusable.budget(4, 1);

        assertThat(budget).isEqualTo(new ClaimBudget(4, 3, 1, 1, Optional.of(young.plus(MINIMUM_AGE).plusMillis(1))));
        assertThat(reusable.take(claims.get(1))).hasValue("exec-2-pvc-0");
        assertThat(reusable.take(claims.get(1))).isEmpty();
        assertThat(lists).as("one listing per cycle, shared by the budget and the creates").hasValue(1);
    }

    @Test
    void claimsThatCannotBeListedCountAsNone() {
        ReusableClaims reusable = new ReusableClaims(() -> {
            throw new io.fabric8.kubernetes.client.KubernetesClientException("forbidden", 403, null);
        }, List::of, NOW, MINIMUM_AGE);
        assertThat(reusable.budget(2, 1)).isEqualTo(new ClaimBudget(2, 0, 0, 1, Optional.empty()));
        assertThat(reusable.take(claim("x", NOW, false))).isEmpty();
    }
}
