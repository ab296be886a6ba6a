package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Only the holder of a Lease writes: replicas contend for it, the holder renews it, and a replica
 * that loses it stops writing at once and contends again. Non-leaders keep their caches warm so a
 * hand-over starts from a synced state.
 * <p>
 * A new holder writes only {@code handOverDelay} (one request timeout) after it got the Lease: the previous holder stops starting writes
 * when it stops leading (the writer asks before every action), but the request it was in can still land until its
 * timeout, and a successor that planned before seeing that pod would create its executors twice.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final KsparkConfig.LeaderElection config;
    private final String namespace;
    private final String identity;
    private final Runnable onStartLeading;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kspark-leader-election");
        thread.setDaemon(true);
        return thread;
    });
    private volatile CompletableFuture<?> running;
    /** When this replica, leading, may write (System.nanoTime). */
    private volatile long writesFrom = Long.MAX_VALUE;

    public LeaderElection(KubernetesClient client, KsparkConfig.LeaderElection config, String namespace, String identity, Runnable onStartLeading) {
        this.client = client;
        this.config = config;
        this.namespace = namespace;
        this.identity = identity;
        this.onStartLeading = onStartLeading;
    }

    /** Leading, and past the hand-over fence: what may write. */
    public boolean isLeader() {
        return leading.get() && System.nanoTime() - writesFrom >= 0;
    }



    public String identity() {
        return identity;
    }

    public void start() {
        if (stopped.get()) {
            return;
        }
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(config.leaseName())
                .withLock(new LeaseLock(namespace, config.leaseName(), identity))
                .withLeaseDuration(config.leaseDuration())
                .withRenewDeadline(config.renewDeadline())
                .withRetryPeriod(config.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            Duration fence = config.handOverDelay();
                            LOG.infof("%s became the leader (lease %s/%s); writes in %d ms, once the previous leader's last"
                                    + " request has ended", identity, namespace, config.leaseName(), fence.toMillis());
                            writesFrom = System.nanoTime() + fence.toNanos();
                            leading.set(true);
                            retries.schedule(() -> {
                                if (isLeader()) {
                                    onStartLeading.run();
                                }
                            }, fence.toMillis(), TimeUnit.MILLISECONDS);
                        },
                        () -> {
                            LOG.infof("%s stopped leading", identity);
                            leading.set(false);
                        },
                        leader -> LOG.debugf("leader is %s", leader)))
                .build()).build();
        running = elector.start();
        running.whenComplete((result, failure) -> {
            leading.set(false);
            if (!stopped.get()) {
                // Lost (or never got) the lease: contend again.
                retries.schedule(this::start, config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        stopped.set(true);
        leading.set(false);
        CompletableFuture<?> current = running;
        if (current != null) {
            current.cancel(true);
        }
        retries.shutdownNow();
    }
}
