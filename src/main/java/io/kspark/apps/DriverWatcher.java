package io.kspark.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kspark.client.KubernetesApiException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows a driver pod until it finishes, as spark-submit's waitAppCompletion does: a status line on
 * every phase or container change, and a reminder line every report interval. The watch is
 * re-established when it closes (including 410 Gone), after re-reading the pod so no change is lost.
 */
public final class DriverWatcher {

    private sealed interface Signal {
    }

    private record Changed(Pod pod) implements Signal {
    }

    private record Deleted() implements Signal {
    }

    private record Closed(WatcherException cause) implements Signal {
    }

    private static final Duration RE_WATCH_PAUSE = Duration.ofMillis(200);

    private final KubernetesClient client;
    private final PrintWriter out;
    private final Duration reportInterval;

    public DriverWatcher(KubernetesClient client, PrintWriter out, Duration reportInterval) {
        this.client = client;
        this.out = out;
        this.reportInterval = reportInterval;
    }

    /** Blocks until the driver finishes or disappears; an interrupt means the user stopped waiting. */
    public WaitOutcome waitFor(String namespace, String podName, String appId) {
        BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        DriverState last = null;
        Watch watch = null;
        long nextReminder = System.nanoTime() + reportInterval.toNanos();
        try {
            while (true) {
                watch = startWatch(namespace, podName, signals::add);
                Optional<Pod> current = read(namespace, podName);
                if (current.isEmpty()) {
                    return new WaitOutcome.DriverDeleted(podName);
                }
                signals.add(new Changed(current.get()));
                while (true) {
                    // Reminders keep their own clock, as Spark's do: a pod that changes often (annotations, conditions)
                    // must not keep putting the next one off.
                    long untilReminder = nextReminder - System.nanoTime();
                    Signal signal = untilReminder <= 0 ? null : signals.poll(untilReminder, TimeUnit.NANOSECONDS);
                    if (signal == null) {
                        out.println("Application status for " + appId + " (phase: " + (last == null ? "unknown" : last.phase()) + ")");
                        out.flush();
                        nextReminder = System.nanoTime() + reportInterval.toNanos();
                        continue;
                    }
                    if (signal instanceof Deleted) {
                        return new WaitOutcome.DriverDeleted(podName);
                    }
                    if (signal instanceof Closed) {
                        break;
                    }
                    DriverState state = DriverState.of(((Changed) signal).pod());
                    if (!state.equals(last)) {
                        out.println(state.line());
                        out.flush();
                        last = state;
                    }
                    if (state.isFinished()) {
                        return new WaitOutcome.Finished(state);
                    }
                }
                watch.close();
                // A watch that keeps closing (API errors) must not spin; 410 Gone re-watches right after.
                Thread.sleep(RE_WATCH_PAUSE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WaitOutcome.StoppedWaiting();
        } finally {
            if (watch != null) {
                watch.close();
            }
        }
    }

    private Optional<Pod> read(String namespace, String podName) throws InterruptedException {
        try {
            return Optional.ofNullable(client.pods().inNamespace(namespace).withName(podName).get());
        } catch (RuntimeException e) {
            throw interruptOr(e, new KubernetesApiException("cannot read driver pod " + namespace + "/" + podName, e));
        }
    }

    /** An interrupt (Ctrl-C) that lands inside an API call reaches us wrapped in the client's exception. */
    private static RuntimeException interruptOr(RuntimeException e, RuntimeException otherwise) throws InterruptedException {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                throw new InterruptedException("stopped waiting");
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("stopped waiting");
        }
        return otherwise;
    }

    private Watch startWatch(String namespace, String podName, Consumer<Signal> signals) throws InterruptedException {
        try {
            return client.pods().inNamespace(namespace).withName(podName).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                        signals.accept(new Deleted());
                    } else if (pod != null) {
                        signals.accept(new Changed(pod));
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    signals.accept(new Closed(cause));
                }
            });
        } catch (RuntimeException e) {
            throw interruptOr(e, new KubernetesApiException("cannot watch driver pod " + namespace + "/" + podName, e));
        }
    }
}
