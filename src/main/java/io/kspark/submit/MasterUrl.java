package io.kspark.submit;

import io.kspark.conf.TcpPorts;
import io.kspark.conf.UserInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code k8s://} master URL, normalised as spark-submit does: no scheme means https; http is
 * accepted with a warning.
 *
 * @param apiServer the API server URL without the {@code k8s://} prefix
 * @param warning   a message to show the user, if any
 */
public record MasterUrl(String apiServer, Optional<String> warning) {

    public static final String PREFIX = "k8s://";

    public static MasterUrl parse(String argument, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new UserInputException(argument + ": a Kubernetes master URL is required, e.g. --master k8s://https://host:6443");
        }
        if (!raw.startsWith(PREFIX)) {
            throw new UserInputException(argument + ": '" + raw + "' is not a Kubernetes master URL; it must start with k8s://");
        }
        String rest = raw.substring(PREFIX.length());
        if (rest.isEmpty()) {
            throw new UserInputException(argument + ": '" + raw + "' has no API server address after k8s://");
        }
        if (!rest.contains("://")) {
            return new MasterUrl(checkedUrl(argument, raw, "https://" + rest), Optional.empty());
        }
        String scheme;
        try {
            scheme = new URI(rest).getScheme();
        } catch (URISyntaxException e) {
            throw new UserInputException(argument + ": '" + raw + "' is not a valid URL");
        }
        String lower = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "https" -> new MasterUrl(checkedUrl(argument, raw, rest), Optional.empty());
            case "http" -> new MasterUrl(checkedUrl(argument, raw, rest), Optional.of("Kubernetes master URL uses HTTP instead of HTTPS."));
            default -> throw new UserInputException(argument + ": invalid Kubernetes master scheme '" + scheme + "' in " + raw
                    + " (use https or http)");
        };
    }

    private static String checkedUrl(String argument, String raw, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                throw new UserInputException(argument + ": '" + raw + "' has no valid host");
            }
            if (uri.getPort() != -1 && !TcpPorts.isValid(uri.getPort())) { // -1: none given
                throw new UserInputException(argument + ": '" + raw + "' has an invalid port");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new UserInputException(argument + ": '" + raw + "' is not a valid URL");
        }
    }

    /** The value Spark stores in {@code spark.master}. */
    public String sparkMaster() {
        return PREFIX + apiServer;
    }
}
