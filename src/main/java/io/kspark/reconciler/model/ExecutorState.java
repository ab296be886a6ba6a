package io.kspark.reconciler.model;

/** Spark's executor pod states (ExecutorPodStates), as the planner needs them. */
public enum ExecutorState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Being deleted (deletion timestamp set and no longer running). */
    DELETED,
    UNKNOWN;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == DELETED;
    }
}
