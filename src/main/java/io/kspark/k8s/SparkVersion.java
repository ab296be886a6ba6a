package io.kspark.k8s;

/** The Spark release whose Kubernetes objects kspark reproduces. */
public final class SparkVersion {

    public static final String TARGET = "4.1.1";

    private SparkVersion() {
    }

    /** Spark's {@code {{SPARK_VERSION}}} placeholder in image names. */
    public static String substitute(String text) {
        return text.replace("{{SPARK_VERSION}}", TARGET);
    }
}
