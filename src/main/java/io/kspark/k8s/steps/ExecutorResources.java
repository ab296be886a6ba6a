package io.kspark.k8s.steps;

import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;

/**
 * Executor cores and memory for the default resource profile: heap + overhead + off-heap (+ PySpark
 * memory for Python apps), with Spark's overhead rule {@code max(factor * heap, minimum)}.
 */
public record ExecutorResources(int cores, long executorMemoryMiB, long overheadMiB, long offHeapMiB, long pysparkMiB) {

    public long totalMemoryMiB() {
        return executorMemoryMiB + overheadMiB + offHeapMiB + pysparkMiB;
    }

    public static ExecutorResources of(SparkConf conf) {
        int cores = conf.get(CoreKeys.EXECUTOR_CORES);
        long memory = conf.get(CoreKeys.EXECUTOR_MEMORY);
        double factor = conf.contains(CoreKeys.EXECUTOR_MEMORY_OVERHEAD_FACTOR)
                ? conf.get(CoreKeys.EXECUTOR_MEMORY_OVERHEAD_FACTOR)
                : conf.get(KubernetesKeys.MEMORY_OVERHEAD_FACTOR);
        long overhead = conf.getOptional(CoreKeys.EXECUTOR_MEMORY_OVERHEAD)
                .orElseGet(() -> Math.max((long) (int) (factor * memory), conf.get(CoreKeys.EXECUTOR_MIN_MEMORY_OVERHEAD)));
        long offHeap = 0;
        if (conf.get(CoreKeys.OFF_HEAP_ENABLED)) {
            offHeap = conf.get(CoreKeys.OFF_HEAP_SIZE) / 1024 / 1024;
            if (offHeap <= 0) {
                throw UserInputException.forKey(CoreKeys.OFF_HEAP_SIZE.key(), "must be > 0 when spark.memory.offHeap.enabled is true");
            }
        }
        boolean python = "python".equals(conf.getOptional(KubernetesKeys.APP_RESOURCE_TYPE).orElse(null));
        long pyspark = python ? conf.getOptional(CoreKeys.PYSPARK_EXECUTOR_MEMORY).orElse(0L) : 0L;
        return new ExecutorResources(cores, memory, overhead, offHeap, pyspark);
    }
}
