package io.kspark.submit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Spark's path-to-URI rules: bare paths become absolute {@code file:} URIs, URIs stay as they are. */
public final class Uris {

    private Uris() {
    }

    public static String resolve(String path) {
        try {
            URI uri = new URI(path);
            if (uri.getScheme() != null) {
                return uri.toString();
            }
            if (uri.getFragment() != null) {
                URI absolute = new File(uri.getPath()).getAbsoluteFile().toURI();
                return new URI(absolute.getScheme(), absolute.getHost(), absolute.getPath(), uri.getFragment()).toString();
            }
        } catch (URISyntaxException e) {
            // not a URI: treat as a local path below
        }
        try {
            return new File(path).getCanonicalFile().toURI().toString();
        } catch (IOException e) {
            return new File(path).getAbsoluteFile().toURI().toString();
        }
    }

    /**
     * Comma list form of {@link #resolve}; entries are trimmed and blank ones dropped, as Spark's glob resolution
     * ({@code Utils.stringToSeq}) does for spark.jars, spark.files and spark.archives, so "a.jar, b.jar" works.
     */
    public static String resolveAll(String paths) {
        if (paths == null || paths.isBlank()) {
            return "";
        }
        return Arrays.stream(paths.split(",")).map(String::trim).filter(p -> !p.isEmpty()).map(Uris::resolve).collect(Collectors.joining(","));
    }

    /** {@link #resolveAll}, keeping "not given" as null. */
    public static String resolveAllOrNull(String paths) {
        return paths == null ? null : resolveAll(paths);
    }

    /** Local to the submitter: no scheme or {@code file:} (and not Spark's no-resource marker). */
    public static boolean isLocalFile(String resource) {
        if ("spark-internal".equals(resource)) {
            return false;
        }
        String scheme = URI.create(resolve(resource)).getScheme();
        return scheme == null || "file".equals(scheme);
    }
}
