package io.kspark.apps;

import io.kspark.conf.UserInputException;

import java.util.Optional;

/**
 * Spark's submission id: {@code <namespace>:<driver pod>} or just {@code <driver pod>}; a trailing
 * {@code *} makes it a prefix match over driver pods.
 */
public record SubmissionId(Optional<String> namespace, String podName) {

    public static SubmissionId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UserInputException("submission id: expected <namespace>:<driver pod> or <driver pod>, got nothing");
        }
        String[] parts = text.split(":", 2);
        SubmissionId id = parts.length == 2 ? new SubmissionId(Optional.of(parts[0]), parts[1]) : new SubmissionId(Optional.empty(), parts[0]);
        if (id.podName.isEmpty() || id.namespace.map(String::isEmpty).orElse(false)) {
            throw new UserInputException("submission id: '" + text + "' is invalid; expected <namespace>:<driver pod>");
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
