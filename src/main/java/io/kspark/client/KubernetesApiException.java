package io.kspark.client;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A failed API call, described in one line: what kspark tried, and the server's code and reason (or
 * why the server could not be reached). Commands map it to exit code 3.
 */
public final class KubernetesApiException extends RuntimeException {

    private final int code;
    private final String action;
    private final boolean unreachable;

    public KubernetesApiException(String action, Throwable cause) {
        this(action, cause, Optional.empty());
    }

    /** The same failure, with what it means for the user in front. */
    public KubernetesApiException(String context, KubernetesApiException failure) {
        super(context + ": " + failure.getMessage(), failure);
        this.code = failure.code();
        this.action = context;
        this.unreachable = failure.unreachable();
    }

    private KubernetesApiException(String action, Throwable cause, Optional<String> server) {
        super(action + ": " + describe(cause, server), cause);
        this.code = cause instanceof KubernetesClientException kce ? kce.getCode() : 0;
        this.action = action;
        this.unreachable = code <= 0 && reachFailure(cause) != null; // fabric8 says -1 when no answer came
    }

    public int code() {
        return code;
    }

    /** No answer at all (refused, unknown host, timeout): then which server was tried is worth saying. */
    public boolean unreachable() {
        return unreachable;
    }

    /** The same failure naming the API server it could not reach (user and password in the URL left out). */
    public KubernetesApiException naming(String server) {
        if (!unreachable) {
            return this;
        }
        String shown = Urls.withoutUserInfo(server);
        return getCause() instanceof KubernetesApiException inner
                ? new KubernetesApiException(action, inner.naming(shown))
                : new KubernetesApiException(action, getCause(), Optional.of(shown));
    }

    private static String describe(Throwable e, Optional<String> server) {
        if (e instanceof KubernetesClientException kce && kce.getCode() > 0) {
            String reason = kce.getStatus() != null && kce.getStatus().getMessage() != null
                    ? kce.getStatus().getMessage()
                    : firstLine(kce.getMessage());
            return "HTTP " + kce.getCode() + " " + statusText(kce.getCode()) + (reason == null || reason.isBlank() ? "" : " (" + firstLine(reason) + ")");
        }
        Throwable root = reachFailure(e);
        String theServer = "the API server" + server.map(url -> " " + url).orElse("");
        if (root instanceof ConnectException || root instanceof UnknownHostException) {
            String detail = root.getMessage() == null || root.getMessage().isBlank()
                    ? (root instanceof ConnectException ? "connection refused" : "unknown host") // the JDK client gives no message
                    : firstLine(root.getMessage());
            return "cannot reach " + theServer + " (" + root.getClass().getSimpleName() + ": " + detail + ")";
        }
        if (root != null) {
            return theServer + " did not answer in time (" + firstLine(root.getMessage()) + ")";
        }
        Throwable last = e;
        while (last.getCause() != null && last.getCause() != last) {
            last = last.getCause();
        }
        return firstLine(last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage());
    }

    /** The refused connection, unknown host or timeout in the cause chain, or null when the server did answer. */
    private static Throwable reachFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || isTimeout(t)) {
                return t;
            }
        }
        return null;
    }

    private static boolean isTimeout(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase();
        return e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException
                || message.contains("timeout") || message.contains("timed out");
    }

    private static String statusText(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
