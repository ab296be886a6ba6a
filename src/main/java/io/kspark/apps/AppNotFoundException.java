package io.kspark.apps;

/** No driver pod matches the submission id; commands exit with 1, as spark-submit reports it. */
public final class AppNotFoundException extends RuntimeException {

    public AppNotFoundException(String message) {
        super(message);
    }
}
