package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kspark.testing.FaultyApiServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two replicas: one leads at a time, and the other takes over when the leader goes away. */
class LeaderElectionTest {

    record Config(boolean enabled, String leaseName, Optional<String> leaseNamespace, Duration leaseDuration, Duration renewDeadline,
                  Duration retryPeriod, Duration handOverDelay) implements KsparkConfig.LeaderElection {
    }

    static final Config FAST = new Config(true, "kspark-controller", Optional.empty(), Duration.ofSeconds(2), Duration.ofMillis(1500),
            Duration.ofMillis(200), Duration.ofMillis(700));

    @Test
    void oneLeaderAtATimeAndHandOverWhenItStops() {
        try (FaultyApiServer server = new FaultyApiServer(); KubernetesClient client = server.client()) {
            AtomicInteger aStarts = new AtomicInteger();
            AtomicInteger bStarts = new AtomicInteger();
            LeaderElection a = new LeaderElection(client, FAST, "kspark-system", "replica-a", aStarts::incrementAndGet);
            LeaderElection b = new LeaderElection(client, FAST, "kspark-system", "replica-b", bStarts::incrementAndGet);
            long started = System.nanoTime();
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            // A new leader writes only once its predecessor's last request must have ended.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(FAST.handOverDelay());
            b.start();
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> !b.isLeader());
            assertThat(client.leases().inNamespace("kspark-system").withName("kspark-controller").get().getSpec().getHolderIdentity())
                    .isEqualTo("replica-a");
            a.close();
            await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
            assertThat(a.isLeader()).isFalse();
            assertThat(aStarts.get()).isEqualTo(1);
            assertThat(bStarts.get()).isEqualTo(1);
            b.close();

            // Every verb the election used (create, read, renew, take over) is one the shipped Role grants.
            Set<String> used = server.requests().stream().filter(r -> r.path().contains("/leases")).map(r -> VERBS.get(r.method()))
                    .collect(Collectors.toSet());
            assertThat(used).contains("create", "get").doesNotContainNull();
            assertThat(grantedLeaseVerbs()).containsAll(used);
        }
    }

    static final Map<String, String> VERBS = Map.of("GET", "get", "POST", "create", "PATCH", "patch", "PUT", "update", "DELETE", "delete");

    /** The verbs on leases that k8s/base/leader-election-rbac.yaml grants the controller. */
    static Set<String> grantedLeaseVerbs() {
        try (InputStream yaml = Files.newInputStream(Path.of("k8s/base/leader-election-rbac.yaml"))) {
            List<HasMetadata> objects = Serialization.unmarshal(yaml);
            return objects.stream().filter(Role.class::isInstance).map(Role.class::cast).flatMap(role -> role.getRules().stream())
                    .filter(rule -> rule.getResources().contains("leases")).flatMap(rule -> rule.getVerbs().stream()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
