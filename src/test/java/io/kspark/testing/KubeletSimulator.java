package io.kspark.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Plays kubelet against the mock API server: every new pod in the namespace follows a script
 * (Pending for a while, then Running, then Succeeded or Failed with an exit code), and tests can
 * end a pod on demand.
 */
public final class KubeletSimulator implements AutoCloseable {

    /** What happens to one pod: how long it stays Pending and Running, and how it ends. */
    public record Script(Duration pending, Optional<Duration> running, int exitCode, String reason) {

        public static Script runsForever(Duration pending) {
            return new Script(pending, Optional.empty(), 0, null);
        }

        public static Script succeedsAfter(Duration pending, Duration running) {
            return new Script(pending, Optional.of(running), 0, "Completed");
        }

        public static Script failsAfter(Duration pending, Duration running, int exitCode) {
            return new Script(pending, Optional.of(running), exitCode, "Error");
        }

        /** Never scheduled: stays Pending. */
        public static Script staysPending() {
            return new Script(Duration.ofDays(1), Optional.empty(), 0, null);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Function<Pod, Script> scripts;
    private static final int UPDATE_ATTEMPTS = 5;

    // One thread: a pod's transitions must apply in order (Pending, then Running, then the end).
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Watch watch;
    private volatile boolean closed;

    public KubeletSimulator(KubernetesClient client, String namespace, Function<Pod, Script> scripts) {
        this.client = client;
        this.namespace = namespace;
        this.scripts = scripts;
        this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED && seen.add(pod.getMetadata().getUid())) {
                    schedule(pod);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        // Pods that existed before the watch: the mock does not always replay them as ADDED (seen once either way).
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (seen.add(pod.getMetadata().getUid())) {
                schedule(pod);
            }
        }
    }

    private void schedule(Pod pod) {
        Script script = scripts.apply(pod);
        String name = pod.getMetadata().getName();
        // The real API server defaults new pods to Pending; the CRUD mock leaves the status empty.
        timers.execute(() -> update(name, p -> p.getStatus() != null && p.getStatus().getPhase() != null ? p
                : new PodBuilder(p).editOrNewStatus().withPhase("Pending").endStatus().build()));
        timers.schedule(() -> running(name), script.pending().toMillis(), TimeUnit.MILLISECONDS);
        script.running().ifPresent(run -> timers.schedule(() -> ended(name, script.exitCode(), script.reason()),
                script.pending().plus(run).toMillis(), TimeUnit.MILLISECONDS));
    }

    private void running(String name) {
        update(name, pod -> {
            if (isTerminated(pod)) {
                return pod; // a kubelet never restarts a pod that has ended (restartPolicy Never)
            }
            String now = Instant.now().toString();
            return new PodBuilder(pod).editOrNewStatus()
                    .withPhase("Running").withPodIP("127.0.0.1").withStartTime(now)
                    .withContainerStatuses(statuses(pod, c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                            .withReady(true).withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build()))
                    .withConditions(ready(true, now))
                    .endStatus().build();
        });
    }

    /** Ends a pod now, as if its container exited with {@code exitCode}; ordered with the scripted transitions. */
    public void terminate(String name, int exitCode, String reason) {
        onKubeletThread(() -> ended(name, exitCode, reason));
    }

    private void ended(String name, int exitCode, String reason) {
        update(name, pod -> new PodBuilder(pod).editOrNewStatus()
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(statuses(pod, c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                        .withReady(false).withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                        .withMessage(exitCode == 0 ? null : "simulated failure").withFinishedAt(Instant.now().toString())
                        .endTerminated().endState().build()))
                .withConditions(ready(false, Instant.now().toString()))
                .endStatus().build());
    }

    /** The pod's Ready condition, as a kubelet keeps it (Spark's allocator waits for it before creating executors). */
    private static io.fabric8.kubernetes.api.model.PodCondition ready(boolean ready, String since) {
        return new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(since).build();
    }

    /** Ends one container while the pod keeps running, as with a native sidecar next to it. */
    public void terminateContainer(String name, String container, int exitCode) {
        onKubeletThread(() -> update(name, pod -> new PodBuilder(pod).editOrNewStatus()
                .withContainerStatuses(statuses(pod, c -> !c.getName().equals(container)
                        ? new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true)
                            .withNewState().withNewRunning().endRunning().endState().build()
                        : new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(false)
                            .withNewState().withNewTerminated().withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
                            .endTerminated().endState().build()))
                .withConditions(ready(false, Instant.now().toString()))
                .endStatus().build()));
    }

    /** All status changes happen on the one timer thread, so a test's change and a scripted one never overtake each other. */
    private void onKubeletThread(Runnable change) {
        try {
            timers.submit(change).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("kubelet simulator could not apply a status change", e);
        }
    }

    private static boolean isTerminated(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static List<ContainerStatus> statuses(Pod pod, Function<Container, ContainerStatus> status) {
        return pod.getSpec().getContainers().stream().map(status).toList();
    }

    /**
     * Changes only the status (a patch of /status), as a kubelet does; never touches metadata or spec. A
     * conflict (the reconciler changed the pod meanwhile), a throttle or a server error is retried on the fresh pod,
     * as a kubelet would.
     */
    private void update(String name, java.util.function.UnaryOperator<Pod> change) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            try {
                client.pods().inNamespace(namespace).withName(name).editStatus(change);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return; // the pod is gone by now; a real kubelet would not care either
                }
                if (e.getCode() != 409 && e.getCode() != 429 && e.getCode() < 500) {
                    dropped(name, e);
                    return;
                }
            } catch (RuntimeException e) {
                dropped(name, e);
                return;
            }
        }
        dropped(name, new IllegalStateException(UPDATE_ATTEMPTS + " refusals in a row"));
    }

    /** A lost transition leaves a pod stuck; say so, so that a test timing out explains itself. */
    private void dropped(String name, Exception cause) {
        if (closed) {
            return; // shutting down interrupts the transition in flight
        }
        String code = cause instanceof KubernetesClientException k ? " (HTTP " + k.getCode() + ")" : "";
        System.err.println("kubelet simulator: status change of " + name + " dropped" + code + ": " + cause
                + (cause.getCause() == null ? "" : " caused by " + cause.getCause()));
    }

    @Override
    public void close() {
        closed = true;
        watch.close();
        timers.shutdownNow();
    }
}
