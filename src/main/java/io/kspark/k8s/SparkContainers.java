package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.List;
import java.util.Optional;

/**
 * Which container of a Spark pod runs Spark. A pod template may rename it
 * (spark.kubernetes.{driver,executor}.podTemplateContainerName) and add others (log shippers, service meshes),
 * so the name alone is not enough: Spark's own steps give its container an env var no other container has.
 */
public final class SparkContainers {

    public static final String DRIVER = "spark-kubernetes-driver";
    public static final String EXECUTOR = "spark-kubernetes-executor";

    private SparkContainers() {
    }

    /** The driver container: the one with SPARK_DRIVER_BIND_ADDRESS (BasicDriverFeatureStep), else the default name. */
    public static Optional<String> driver(Pod pod) {
        return find(pod, "SPARK_DRIVER_BIND_ADDRESS", DRIVER);
    }

    /** The executor container: the one with SPARK_EXECUTOR_ID (BasicExecutorFeatureStep), else the default name. */
    public static Optional<String> executor(Pod pod) {
        return find(pod, "SPARK_EXECUTOR_ID", EXECUTOR);
    }

    private static Optional<String> find(Pod pod, String sparkEnv, String defaultName) {
        List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        return containers.stream()
                .filter(c -> c.getEnv() != null && c.getEnv().stream().anyMatch(e -> sparkEnv.equals(e.getName())))
                .findFirst()
                .or(() -> containers.stream().filter(c -> defaultName.equals(c.getName())).findFirst())
                .map(Container::getName);
    }
}
