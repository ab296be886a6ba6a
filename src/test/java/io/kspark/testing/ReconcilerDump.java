package io.kspark.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.runtime.Reconciler;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Awaits a condition about pods and, when it times out, prints what the API server holds and what
 * each reconciler believes, so a failure on a CI machine explains itself.
 */
public final class ReconcilerDump {

    private ReconcilerDump() {
    }

    public static void awaitOrDump(Duration wait, Callable<Boolean> condition, KubernetesClient client, String namespace,
                                   List<Reconciler> reconcilers) {
        try {
            await().atMost(wait).until(condition);
        } catch (ConditionTimeoutException timeout) {
            System.err.println(describe(client, namespace, reconcilers));
            throw timeout;
        }
    }

    public static String describe(KubernetesClient client, String namespace, List<Reconciler> reconcilers) {
        StringBuilder out = new StringBuilder("--- pods in ").append(namespace).append('\n');
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            out.append("POD ").append(pod.getMetadata().getName())
                    .append(" phase=").append(pod.getStatus() == null ? null : pod.getStatus().getPhase())
                    .append(" rv=").append(pod.getMetadata().getResourceVersion())
                    .append(" labels=").append(pod.getMetadata().getLabels())
                    .append(" annotations=").append(pod.getMetadata().getAnnotations()).append('\n');
        }
        for (Reconciler reconciler : reconcilers) {
            out.append("RECONCILER synced=").append(reconciler.synced()).append('\n');
            reconciler.state().apps().forEach((key, app) -> out.append("  APP ").append(key)
                    .append(" driver=").append(app.driver().map(d -> (d.getStatus() == null ? null : d.getStatus().getPhase())
                            + "@" + d.getMetadata().getResourceVersion()).orElse("-"))
                    .append(" executors=").append(app.executors().values().stream().map(e -> e.id() + ":" + e.state())
                            .collect(Collectors.joining(",")))
                    .append(" expectations=").append(reconciler.expectations(key).orElse(null)).append('\n'));
        }
        return out.toString();
    }
}
