package io.kspark.submit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kspark.k8s.KubernetesJson;
import io.kspark.conf.Redaction;
import io.kspark.k8s.ExecutorContexts;
import io.kspark.k8s.ExecutorSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders a submission as one Kubernetes {@code List}: the driver objects, executor 1 and its claims.
 * Secret material is replaced by markers: Secret data, and env vars and spark.properties entries whose name or
 * value matches the application's redaction rule.
 */
public final class DryRunRenderer {

    public enum Format { YAML, JSON }

    static final String REDACTED_DATA = "<redacted>";

    private static final KubernetesSerialization SERIALIZATION = KubernetesJson.SERIALIZATION;

    private DryRunRenderer() {
    }

    public static KubernetesList list(DriverObjects objects, ExecutorSpec executorOne, Redaction redaction) {
        List<HasMetadata> items = new ArrayList<>();
        items.add(redacted(objects.driverPod(), redaction));
        // As they will be created: owned by the driver pod (whose uid the API server has not assigned yet).
        for (HasMetadata owned : objects.ownedObjects()) {
            HasMetadata copy = redacted(owned, redaction);
            copy.getMetadata().setOwnerReferences(List.of(Submitter.controllerReference(objects.driverPod())));
            items.add(copy);
        }
        items.add(redacted(executorOne.pod(), redaction));
        executorOne.resources().forEach(resource -> items.add(redacted(resource, redaction)));
        return new KubernetesListBuilder().withItems(items).build();
    }

    public static String render(KubernetesList list, Format format) {
        return format == Format.JSON ? SERIALIZATION.asJson(list) + "\n" : SERIALIZATION.asYaml(list);
    }

    static HasMetadata redacted(HasMetadata object, Redaction redaction) {
        HasMetadata copy = Copies.of(object);
        if (copy instanceof Secret secret) {
            secret.setData(maskValues(secret.getData()));
            secret.setStringData(maskValues(secret.getStringData()));
        } else if (copy instanceof ConfigMap configMap && configMap.getData() != null
                && configMap.getData().containsKey(ExecutorContexts.PROPERTIES_KEY)) {
            Map<String, String> data = new LinkedHashMap<>(configMap.getData());
            data.put(ExecutorContexts.PROPERTIES_KEY, redactProperties(data.get(ExecutorContexts.PROPERTIES_KEY), redaction));
            configMap.setData(data);
        } else if (copy instanceof Pod pod && pod.getSpec() != null) {
            // A pod template may leave a list empty as null ("initContainers:" with nothing under it).
            Stream.concat(Stream.ofNullable(pod.getSpec().getContainers()), Stream.ofNullable(pod.getSpec().getInitContainers()))
                    .flatMap(List::stream).forEach(c -> redactEnv(c, redaction));
        }
        return copy;
    }

    private static Map<String, String> maskValues(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return values;
        }
        Map<String, String> masked = new LinkedHashMap<>();
        values.keySet().forEach(k -> masked.put(k, REDACTED_DATA));
        return masked;
    }

    private static void redactEnv(Container container, Redaction redaction) {
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            if (env.getValue() != null && redaction.hides(env.getName(), env.getValue())) {
                env.setValue(Redaction.REDACTED);
            }
        }
    }

    /** Masks {@code key=value} lines of stored properties whose key or value looks secret. */
    static String redactProperties(String text, Redaction redaction) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int separator = unescapedSeparator(line);
            if (!line.startsWith("#") && separator > 0
                    && redaction.hides(line.substring(0, separator).replace("\\", ""), line.substring(separator + 1).replace("\\", ""))) {
                out.append(line, 0, separator + 1).append(Redaction.REDACTED);
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static int unescapedSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }
}
