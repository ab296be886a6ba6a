package io.kspark.reconciler.model;

/** Which pods a source follows. */
public enum PodKind {
    DRIVER,
    EXECUTOR
}
