package io.kspark.reconciler.model;

/**
 * kspark's labels and annotations. The driver pod carries everything a fresh reconciler needs to
 * resume: the wanted executor count and the allocation bookkeeping that must survive restarts.
 */
public final class KsparkMetadata {

    /** kspark's own key prefix: labels and annotations under it are written by kspark only. */
    public static final String KEY_PREFIX = "kspark.io/";

    /** On driver and executor pods: which reconciler owns the executors ({@code controller} or {@code sidecar}). */
    public static final String RECONCILER_LABEL = "kspark.io/reconciler";
    /** On the driver pod: the wanted executor count (integer), or {@code <profile>=<count>,...} per resource profile. */
    public static final String EXECUTOR_TARGET = "kspark.io/executor-target";
    /**
     * On the driver pod, written by the kspark allocator plugin with the targets: the executor resources of every
     * resource profile but the default, as JSON (see {@link ExecutorProfiles}).
     */
    public static final String RESOURCE_PROFILES = "kspark.io/resource-profiles";
    /** On the driver pod: the highest executor id ever allocated; written before creating pods with higher ids. */
    public static final String LAST_EXECUTOR_ID = "kspark.io/last-executor-id";
    /** On the driver pod: executor failures counted so far (for spark.executor.maxNumFailures). */
    public static final String EXECUTOR_FAILURES = "kspark.io/executor-failures";
    /**
     * On the driver pod: ids of failed executors already counted whose pods may still be there (written with the
     * count, so a successor after a restart or hand-over does not count them again).
     */
    public static final String COUNTED_FAILURES = "kspark.io/counted-failures";
    /**
     * On the driver pod, with spark.executor.failuresValidityInterval: when the failures that still count happened
     * (epoch milliseconds), so that they expire across restarts too.
     */
    public static final String EXECUTOR_FAILURE_TIMES = "kspark.io/executor-failure-times";
    /** On the driver pod: why allocation stopped, once it has (e.g. too many executor failures). */
    public static final String ALLOCATION_STOPPED = "kspark.io/allocation-stopped";

    /**
     * On a client-mode driver pod: the ConfigMap (same namespace) with the running driver's {@code spark.properties},
     * published by the kspark allocator plugin when it hands the pod over to a new application.
     */
    public static final String SPARK_CONF = "kspark.io/spark-conf";
    /** On a client-mode driver pod: when the driver last said it is alive (ISO-8601), renewed by the kspark plugin. */
    public static final String DRIVER_HEARTBEAT = "kspark.io/driver-heartbeat";
    /** On a client-mode driver pod: the user the driver runs as, which its executors get as {@code SPARK_USER}. */
    public static final String SPARK_USER = io.kspark.k8s.ExecutorContexts.SPARK_USER_ANNOTATION;

    /** Spark's own label on executors whose pods are kept after finishing (deleteOnTermination=false). */
    public static final String SPARK_EXEC_INACTIVE = "spark-exec-inactive";

    private KsparkMetadata() {
    }
}
