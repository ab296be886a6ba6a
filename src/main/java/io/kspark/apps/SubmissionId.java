package io.kspark.apps;

import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.Names;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Spark's submission id: {@code <namespace>:<driver pod>} or just {@code <driver pod>}; a trailing
 * {@code *} makes it a prefix match over driver pods.
 */
public record SubmissionId(Optional<String> namespace, String podName) {

    private static final Pattern GLOB_PREFIX = Pattern.compile("[a-z0-9.-]*");

    public static SubmissionId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UserInputException("submission id: expected <namespace>:<driver pod> or <driver pod>, got nothing");
        }
        String[] parts = text.split(":", 2);
        SubmissionId id = parts.length == 2 ? new SubmissionId(Optional.of(parts[0]), parts[1]) : new SubmissionId(Optional.empty(), parts[0]);
        if (id.podName.isEmpty() || id.namespace.map(String::isEmpty).orElse(false)) {
            throw new UserInputException("submission id: '" + text + "' is invalid; expected <namespace>:<driver pod>");
        }
        // Both go into request paths: only names Kubernetes could have are sent.
        if (id.namespace.isPresent() && !Names.isDnsLabel(id.namespace.get())) {
            throw new UserInputException("submission id: '" + text + "' names namespace '" + id.namespace.get()
                    + "', which is not a Kubernetes namespace name (a lower-case DNS label)");
        }
        String name = id.isGlob() ? id.globPrefix() : id.podName;
        if (id.isGlob() ? !GLOB_PREFIX.matcher(name).matches() : !KubernetesKeys.isDnsSubdomain(name)) {
            throw new UserInputException("submission id: '" + text + "' names pod '" + id.podName
                    + "', which is not a Kubernetes pod name (lower-case letters, digits, '-' and '.'; a prefix may end in *)");
        }
        return id;
    }

    public boolean isGlob() {
        return podName.endsWith("*");
    }

    public String globPrefix() {
        return podName.substring(0, podName.length() - 1);
    }
}
