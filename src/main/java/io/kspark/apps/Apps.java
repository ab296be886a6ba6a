package io.kspark.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.kspark.client.KubernetesApiException;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.SparkContainers;

import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Operations on submitted applications, addressed by Spark submission id. Drivers are found by
 * Spark's {@code spark-role=driver} label, so apps submitted by spark-submit work too.
 */
public final class Apps {

    private final KubernetesClient client;

    public Apps(KubernetesClient client) {
        this.client = client;
    }

    private String namespaceOf(SubmissionId id) {
        return id.namespace().orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
    }

    /** The driver pods an id names: one pod, or every driver whose name starts with a glob's prefix. */
    public List<Pod> drivers(SubmissionId id) {
        String ns = namespaceOf(id);
        try {
            if (!id.isGlob()) {
                Pod pod = client.pods().inNamespace(ns).withName(id.podName()).get();
                return pod == null ? List.of() : List.of(pod);
            }
            return client.pods().inNamespace(ns).withLabel("spark-role", "driver").list().getItems().stream()
                    .filter(p -> p.getMetadata().getName().startsWith(id.globPrefix()))
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList();
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot read driver pods in namespace " + ns, e);
        }
    }

    /** The executor pods of a driver's application. */
    public List<Pod> executors(Pod driver) {
        String ns = driver.getMetadata().getNamespace();
        String appId = driver.getMetadata().getLabels() == null ? null : driver.getMetadata().getLabels().get("spark-app-selector");
        if (appId == null) {
            return List.of();
        }
        try {
            return client.pods().inNamespace(ns).withLabel("spark-app-selector", appId).withLabel("spark-role", "executor").list().getItems();
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot list executors of " + ns + "/" + driver.getMetadata().getName(), e);
        }
    }

    /**
     * Deletes the drivers (their executors, Service and ConfigMaps go with them by ownership), each named to
     * {@code deleting} before its delete is sent. A failed delete does not stop the others; the first failure is
     * thrown once all were tried, saying which drivers are left.
     */
    public List<String> kill(SubmissionId id, Optional<Long> gracePeriodSeconds, Consumer<String> deleting) {
        List<Pod> drivers = drivers(id);
        List<String> killed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        KubernetesApiException firstFailure = null;
        for (Pod pod : drivers) {
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            deleting.accept(name);
            PodResource resource = client.pods().inNamespace(ns).withName(name);
            try {
                if (gracePeriodSeconds.isPresent()) {
                    resource.withGracePeriod(gracePeriodSeconds.get()).delete();
                } else {
                    resource.delete();
                }
                killed.add(name);
            } catch (RuntimeException e) {
                left.add(ns + "/" + name);
                if (firstFailure == null) {
                    firstFailure = new KubernetesApiException("cannot delete driver pod " + ns + "/" + name, e);
                }
            }
        }
        if (firstFailure != null) {
            throw drivers.size() == 1 ? firstFailure : new KubernetesApiException(killed.size() + " of " + drivers.size()
                    + " driver pods deleted, not " + String.join(", ", left), firstFailure);
        }
        return killed;
    }

    /** Spark apps in one namespace, or in all when {@code namespace} is empty. */
    public List<AppSummary> list(Optional<String> namespace, Instant now) {
        try {
            List<Pod> drivers = namespace.map(ns -> client.pods().inNamespace(ns)).map(op -> op.withLabel("spark-role", "driver").list().getItems())
                    .orElseGet(() -> client.pods().inAnyNamespace().withLabel("spark-role", "driver").list().getItems());
            List<Pod> executors = namespace.map(ns -> client.pods().inNamespace(ns)).map(op -> op.withLabel("spark-role", "executor").list().getItems())
                    .orElseGet(() -> client.pods().inAnyNamespace().withLabel("spark-role", "executor").list().getItems());
            Map<String, Integer> executorCounts = new HashMap<>();
            for (Pod executor : executors) {
                String phase = executor.getStatus() == null ? null : executor.getStatus().getPhase();
                if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                    executorCounts.merge(executor.getMetadata().getNamespace() + "/"
                            + executor.getMetadata().getLabels().get("spark-app-selector"), 1, Integer::sum);
                }
            }
            return drivers.stream()
                    .map(d -> AppSummary.of(d, executorCounts.getOrDefault(d.getMetadata().getNamespace() + "/"
                            + d.getMetadata().getLabels().get("spark-app-selector"), 0), now))
                    .sorted(Comparator.comparing(AppSummary::namespace).thenComparing(AppSummary::created,
                            Comparator.nullsLast(Comparator.reverseOrder())))
                    .toList();
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot list Spark applications" + namespace.map(ns -> " in namespace " + ns).orElse(""), e);
        }
    }

    /** Prints (or follows) the driver container's log. */
    public void logs(SubmissionId id, boolean follow, OutputStream out) {
        List<Pod> drivers = drivers(id);
        if (drivers.isEmpty()) {
            throw new AppNotFoundException("Application not found.");
        }
        if (drivers.size() > 1) {
            throw new UserInputException("submission id: '" + id.podName() + "' matches " + drivers.size() + " drivers; name one of them");
        }
        Pod pod = drivers.get(0);
        String container = SparkContainers.driver(pod)
                .orElse(pod.getSpec().getContainers().get(pod.getSpec().getContainers().size() - 1).getName());
        PodResource resource = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        try {
            if (follow) {
                try (var watch = resource.inContainer(container).watchLog(out)) {
                    awaitLogEnd(watch);
                }
            } else {
                out.write(resource.inContainer(container).getLog().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot read the log of " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), e);
        }
    }

    private static void awaitLogEnd(io.fabric8.kubernetes.client.dsl.LogWatch watch) {
        try {
            watch.onClose().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KubernetesApiException("log stream failed", e.getCause());
        }
    }
}
