package io.kspark.client;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * A failed API call, described in one line: what kspark tried, and the server's code and reason (or
 * why the server could not be reached). Commands map it to exit code 3.
 */
public final class KubernetesApiException extends RuntimeException {

    private final int code;

    public KubernetesApiException(String action, Throwable cause) {
        super(action + ": " + describe(cause), cause);
        this.code = cause instanceof KubernetesClientException kce ? kce.getCode() : 0;
    }

    /** The same failure, with what it means for the user in front. */
    public KubernetesApiException(String context, KubernetesApiException failure) {
        super(context + ": " + failure.getMessage(), failure);
        this.code = failure.code();
    }

    public int code() {
        return code;
    }

    static String describe(Throwable e) {
        if (e instanceof KubernetesClientException kce && kce.getCode() > 0) {
            String reason = kce.getStatus() != null && kce.getStatus().getMessage() != null
                    ? kce.getStatus().getMessage()
                    : firstLine(kce.getMessage());
            return "HTTP " + kce.getCode() + " " + statusText(kce.getCode()) + (reason == null || reason.isBlank() ? "" : " (" + firstLine(reason) + ")");
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ConnectException || root instanceof UnknownHostException || isTimeout(root)) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof ConnectException || root instanceof UnknownHostException) {
            String detail = root.getMessage() == null || root.getMessage().isBlank()
                    ? (root instanceof ConnectException ? "connection refused" : "unknown host") // the JDK client gives no message
                    : firstLine(root.getMessage());
            return "cannot reach the API server (" + root.getClass().getSimpleName() + ": " + detail + ")";
        }
        if (isTimeout(root)) {
            return "the API server did not answer in time (" + firstLine(root.getMessage()) + ")";
        }
        return firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
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
