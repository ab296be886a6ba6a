package io.kspark.reconciler.model;

/** An application: its namespace and Spark app id (the {@code spark-app-selector} label). */
public record AppKey(String namespace, String appId) implements Comparable<AppKey> {

    @Override
    public int compareTo(AppKey other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : appId.compareTo(other.appId);
    }

    @Override
    public String toString() {
        return namespace + "/" + appId;
    }
}
