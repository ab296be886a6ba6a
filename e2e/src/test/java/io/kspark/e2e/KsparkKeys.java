package io.kspark.e2e;

/** The driver pod annotations of kspark's contract that the e2e test reads. */
final class KsparkKeys {

    static final String EXECUTOR_TARGET = "kspark.io/executor-target";
    static final String LAST_EXECUTOR_ID = "kspark.io/last-executor-id";

    private KsparkKeys() {
    }
}
