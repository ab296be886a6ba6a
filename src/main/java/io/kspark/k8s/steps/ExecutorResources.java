package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.ExecutorProfile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an executor of one resource profile gets (Spark's {@code ResourceProfile.getResourcesForClusterManager}):
 * cores, memory as heap + overhead + off-heap (+ PySpark memory for Python apps) with Spark's overhead rule
 * {@code max(factor * heap, minimum)}, and device-plugin limits such as {@code nvidia.com/gpu: 1}.
 *
 * <p>The default profile takes all of it from the conf. Any other profile starts from the default profile's cores
 * and memory, overhead included (computed from the default heap, as Spark does), replaces what it asks for itself,
 * and gets only its own custom resources.
 */
public record ExecutorResources(int cores, long executorMemoryMiB, long overheadMiB, long offHeapMiB, long pysparkMiB,
                                Map<String, Quantity> deviceLimits) {

    public ExecutorResources {
        // In the order given: it is the order of the pod's limits, and a dry run must print the same every time.
        deviceLimits = Collections.unmodifiableMap(new LinkedHashMap<>(deviceLimits));
    }

    public long totalMemoryMiB() {
        return executorMemoryMiB + overheadMiB + offHeapMiB + pysparkMiB;
    }

    public static ExecutorResources of(SparkConf conf, ExecutorProfile profile) {
        int cores = conf.get(CoreKeys.EXECUTOR_CORES);
        long defaultMemory = conf.get(CoreKeys.EXECUTOR_MEMORY);
        long memory = defaultMemory;
        double factor = conf.contains(CoreKeys.EXECUTOR_MEMORY_OVERHEAD_FACTOR)
                ? conf.get(CoreKeys.EXECUTOR_MEMORY_OVERHEAD_FACTOR)
                : conf.get(KubernetesKeys.MEMORY_OVERHEAD_FACTOR);
        long overhead = conf.getOptional(CoreKeys.EXECUTOR_MEMORY_OVERHEAD)
                .orElseGet(() -> Math.max((long) (int) (factor * defaultMemory), conf.get(CoreKeys.EXECUTOR_MIN_MEMORY_OVERHEAD)));
        boolean offHeapEnabled = conf.get(CoreKeys.OFF_HEAP_ENABLED);
        long offHeap = offHeapEnabled ? positiveOffHeap(conf.get(CoreKeys.OFF_HEAP_SIZE) / 1024 / 1024) : 0;
        boolean python = "python".equals(conf.getOptional(KubernetesKeys.APP_RESOURCE_TYPE).orElse(null));
        long pyspark = python ? conf.getOptional(CoreKeys.PYSPARK_EXECUTOR_MEMORY).orElse(0L) : 0L;
        if (profile.isDefault()) {
            return new ExecutorResources(cores, memory, overhead, offHeap, pyspark,
                    ResourceRequests.limits(conf, CoreKeys.EXECUTOR_RESOURCE_PREFIX));
        }
        Map<String, Quantity> devices = new LinkedHashMap<>();
        for (Map.Entry<String, ExecutorProfile.Request> e : profile.executorResources().entrySet()) {
            long amount = e.getValue().amount();
            switch (e.getKey()) {
                case ExecutorProfile.CORES -> cores = (int) amount;
                case ExecutorProfile.MEMORY -> memory = amount;
                case ExecutorProfile.MEMORY_OVERHEAD -> overhead = amount;
                case ExecutorProfile.PYSPARK_MEMORY -> pyspark = amount;
                case ExecutorProfile.OFF_HEAP -> offHeap = offHeapEnabled ? positiveOffHeap(amount) : 0;
                default -> devices.put(deviceName(profile, e.getKey(), e.getValue()), new Quantity(Long.toString(amount)));
            }
        }
        // PySpark memory only counts for Python applications, whoever asked for it.
        return new ExecutorResources(cores, memory, overhead, offHeap, python ? pyspark : 0, devices);
    }

    private static long positiveOffHeap(long mib) {
        if (mib <= 0) {
            throw UserInputException.forKey(CoreKeys.OFF_HEAP_SIZE.key(), "must be > 0 when spark.memory.offHeap.enabled is true");
        }
        return mib;
    }

    /** {@code <vendor>/<name>}; Spark refuses a custom resource without a vendor on Kubernetes. */
    private static String deviceName(ExecutorProfile profile, String name, ExecutorProfile.Request request) {
        if (request.vendor().isEmpty()) {
            throw new UserInputException("resource profile " + profile.id() + ": resource " + name
                    + " was requested, but vendor was not specified");
        }
        String what = profile.id() == ExecutorProfile.DEFAULT_ID ? "spark.executor.resource." + name + ".vendor"
                : "resource profile " + profile.id() + ": resource " + name + " vendor";
        return ResourceRequests.deviceName(what, request.vendor(), name);
    }
}
