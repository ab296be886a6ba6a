package io.kspark.reconciler.io;

/**
 * The driver's Spark conf cannot build executors (missing, another application's, or invalid). Unlike an API
 * error it will not go away by retrying alone, so the reconciler tells the user with an Event on the driver pod.
 */
public final class UnusableSparkConf extends RuntimeException {

    public UnusableSparkConf(String message) {
        super(message);
    }

    public UnusableSparkConf(String message, Throwable cause) {
        super(message, cause);
    }
}
