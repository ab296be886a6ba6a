package io.kspark.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.conf.SparkConf;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.ExecutorConf;
import io.kspark.k8s.ExecutorContext;
import io.kspark.k8s.ExecutorProfile;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.k8s.MainResource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders for the configurations feature-step tests start from. */
public final class Confs {

    public static final String IMAGE = "apache/spark:4.1.1";

    private Confs() {
    }

    /** A SparkConf from alternating key, value arguments, with an image set unless given. */
    public static SparkConf conf(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("spark.app.name", "spark-pi");
        values.put("spark.kubernetes.container.image", IMAGE);
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return SparkConf.of(values);
    }

    public static DriverConf driver(SparkConf conf) {
        return driver(conf, new MainResource.Java("local:///opt/app.jar"), TestEnvironment.empty());
    }

    public static DriverConf driver(SparkConf conf, MainResource resource, LocalEnvironment env) {
        return DriverConf.create(conf, resource, "org.example.Main", List.of("arg1"), Optional.empty(), new FixedIds(), env);
    }

    /** An executor conf as the driver of {@code driverConf} would see it (spark.driver.host etc. set). */
    public static ExecutorConf executor(SparkConf conf, String executorId) {
        SparkConf driverSide = conf
                .setIfMissing("spark.app.id", FixedIds.APP_ID)
                .setIfMissing("spark.driver.host", "spark-pi-svc.default.svc")
                .setIfMissing("spark.driver.port", "7078")
                .setIfMissing("spark.kubernetes.executor.podNamePrefix", "spark-pi-exec-prefix");
        ExecutorContext context = new ExecutorContext(driverSide, FixedIds.APP_ID, Optional.empty(), Map.of(), "root",
                "spark-exec-0000000000000001-conf-map", List.of(), Optional.empty(), Optional.empty(), "/var/data/spark-exec-uuid");
        return new ExecutorConf(context, executorId, ExecutorProfile.DEFAULT);
    }

    public static Optional<EnvVar> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    public static String envValue(Container container, String name) {
        return env(container, name).map(EnvVar::getValue).orElse(null);
    }

    public static Container container(Pod pod, String name) {
        return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }
}
