package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kspark.conf.UserInputException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pod templates: reading them and picking the Spark container out of them, as Spark does. */
public final class PodTemplates {

    private static final KubernetesSerialization SERIALIZATION = KubernetesJson.SERIALIZATION;

    private PodTemplates() {
    }

    /** Reads a local template file ({@code /path} or {@code file:/path}), naming {@code key} on failure. */
    public static String readTemplateText(LocalEnvironment env, String key, String location) {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw UserInputException.forKey(key, "'" + location + "' is not a valid path or URI");
        }
        if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
            throw UserInputException.forKey(key, "only local pod template files are supported by kspark, not " + uri.getScheme()
                    + " URIs; download the template first");
        }
        String path = uri.getScheme() == null ? location : uri.getPath();
        try {
            return env.readText(path);
        } catch (UserInputException e) {
            throw UserInputException.forKey(key, "cannot read pod template " + path);
        }
    }

    public static Pod parse(String key, String text) {
        try {
            Pod pod = SERIALIZATION.unmarshal(text, Pod.class);
            if (pod == null || pod.getSpec() == null && pod.getMetadata() == null) {
                throw UserInputException.forKey(key, "the pod template is empty");
            }
            if (pod.getKind() != null && !pod.getKind().equals("Pod")) {
                throw UserInputException.forKey(key, "the pod template is a " + pod.getKind() + ", not a Pod");
            }
            return new PodBuilder(pod).editOrNewMetadata().endMetadata().editOrNewSpec().endSpec().build();
        } catch (UserInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw UserInputException.forKey(key, "the pod template is not a valid Pod: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Splits a template into the Spark container (the one named {@code containerName}, else the first)
     * and the pod with the remaining containers.
     */
    public static SparkPod selectSparkContainer(Pod pod, Optional<String> containerName) {
        List<Container> containers = pod.getSpec().getContainers();
        if (containerName.isPresent()) {
            List<Container> named = containers.stream().filter(c -> containerName.get().equals(c.getName())).toList();
            if (named.size() == 1) {
                List<Container> rest = new ArrayList<>(containers);
                rest.remove(named.get(0));
                return new SparkPod(new PodBuilder(pod).editSpec().withContainers(rest).endSpec().build(), named.get(0));
            }
        }
        if (containers.isEmpty()) {
            return new SparkPod(pod, new ContainerBuilder().build());
        }
        return new SparkPod(new PodBuilder(pod).editSpec().withContainers(containers.subList(1, containers.size())).endSpec().build(),
                containers.get(0));
    }
}
