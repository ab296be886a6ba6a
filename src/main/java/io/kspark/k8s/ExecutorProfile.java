package io.kspark.k8s;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The executor resources of one Spark resource profile (Spark's {@code ResourceProfile.executorResources}): resource
 * name ({@value #CORES}, {@value #MEMORY}, {@value #MEMORY_OVERHEAD}, {@value #PYSPARK_MEMORY}, {@value #OFF_HEAP}, or
 * a custom resource such as {@code gpu}) to its request. Memory amounts are MiB, as Spark keeps them. The default
 * profile (id 0) carries no requests: its executors are sized from the application's conf.
 */
public record ExecutorProfile(int id, Map<String, Request> executorResources) {

    public static final int DEFAULT_ID = 0;
    public static final ExecutorProfile DEFAULT = new ExecutorProfile(DEFAULT_ID, Map.of());

    public static final String CORES = "cores";
    public static final String MEMORY = "memory";
    public static final String MEMORY_OVERHEAD = "memoryOverhead";
    public static final String PYSPARK_MEMORY = "pyspark.memory";
    public static final String OFF_HEAP = "offHeap";

    /** One executor resource request; {@code vendor} is empty when none was given (Spark's empty string). */
    public record Request(long amount, String vendor) {

        public Request {
            vendor = Objects.requireNonNullElse(vendor, "");
        }
    }

    public ExecutorProfile {
        // Sorted: the same profile always builds the same pod.
        executorResources = Collections.unmodifiableMap(new TreeMap<>(executorResources));
    }

    /** A profile kspark was told the id of but not its resources: sized as Spark sizes a profile that asks for nothing. */
    public static ExecutorProfile withoutRequests(int id) {
        return id == DEFAULT_ID ? DEFAULT : new ExecutorProfile(id, Map.of());
    }

    public boolean isDefault() {
        return id == DEFAULT_ID;
    }
}
