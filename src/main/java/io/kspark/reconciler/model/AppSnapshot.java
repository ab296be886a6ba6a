package io.kspark.reconciler.model;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the API server says about one application right now: its driver pod (if still there)
 * and its executor pods by id. Immutable; each event produces a new snapshot.
 */
public record AppSnapshot(AppKey key, Optional<Pod> driver, Map<Long, ExecutorPod> executors) {

    public AppSnapshot {
        executors = Collections.unmodifiableMap(new TreeMap<>(executors));
    }

    public static AppSnapshot empty(AppKey key) {
        return new AppSnapshot(key, Optional.empty(), Map.of());
    }

    public AppSnapshot withDriver(Optional<Pod> newDriver) {
        return new AppSnapshot(key, newDriver, executors);
    }

    public AppSnapshot withExecutor(ExecutorPod executor) {
        Map<Long, ExecutorPod> copy = new TreeMap<>(executors);
        copy.put(executor.id(), executor);
        return new AppSnapshot(key, driver, copy);
    }

    public AppSnapshot withoutExecutor(long id) {
        if (!executors.containsKey(id)) {
            return this;
        }
        Map<Long, ExecutorPod> copy = new TreeMap<>(executors);
        copy.remove(id);
        return new AppSnapshot(key, driver, copy);
    }

    public AppSnapshot withExecutors(Map<Long, ExecutorPod> all) {
        return new AppSnapshot(key, driver, all);
    }

    public boolean isEmpty() {
        return driver.isEmpty() && executors.isEmpty();
    }
}
