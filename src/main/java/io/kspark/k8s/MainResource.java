package io.kspark.k8s;

/** The application's primary resource; its kind decides the driver command and memory overhead. */
public sealed interface MainResource {

    /** Spark's placeholder for "no primary resource" (or a local jar that travels via spark.jars). */
    String NO_RESOURCE = "spark-internal";

    String uri();

    /** The value of {@code spark.kubernetes.resource.type}. */
    String appType();

    default boolean isNonJvm() {
        return !(this instanceof Java);
    }

    MainResource withUri(String newUri);

    record Java(String uri) implements MainResource {
        @Override
        public String appType() {
            return "java";
        }

        @Override
        public MainResource withUri(String newUri) {
            return new Java(newUri);
        }
    }

    record Python(String uri) implements MainResource {
        @Override
        public String appType() {
            return "python";
        }

        @Override
        public MainResource withUri(String newUri) {
            return new Python(newUri);
        }
    }

    record R(String uri) implements MainResource {
        @Override
        public String appType() {
            return "r";
        }

        @Override
        public MainResource withUri(String newUri) {
            return new R(newUri);
        }
    }
}
