package io.kspark.k8s;

import io.kspark.conf.SparkConf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order in which Spark iterates a SparkConf. Spark keeps its settings in a ConcurrentHashMap,
 * so anything it derives by iterating (e.g. {@code SPARK_JAVA_OPT_<n>} numbering) follows that map's
 * order; replaying the keys into the same map type reproduces it.
 */
public final class SparkConfOrder {

    private SparkConfOrder() {
    }

    public static List<Map.Entry<String, String>> entries(SparkConf conf) {
        ConcurrentHashMap<String, String> settings = new ConcurrentHashMap<>();
        settings.putAll(conf.asMap());
        return new ArrayList<>(settings.entrySet());
    }
}
