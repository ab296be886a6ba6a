package io.kspark.k8s;

import java.util.Map;

/** One user-configured volume ({@code spark.kubernetes.<role>.volumes.<type>.<name>.*}). */
public record VolumeSpec(String name, String mountPath, String mountSubPath, String mountSubPathExpr,
                         boolean mountReadOnly, VolumeSource source) {

    /** Where the volume's data comes from; one record per Kubernetes volume type Spark supports. */
    public sealed interface VolumeSource {
    }

    public record HostPath(String path, String type) implements VolumeSource {
    }

    /** A claim; {@code claimName} may be Spark's {@code OnDemand} placeholder or contain {@code SPARK_EXECUTOR_ID}. */
    public record Pvc(String claimName, String storageClass, String size,
                      Map<String, String> labels, Map<String, String> annotations) implements VolumeSource {
        public Pvc {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }

        public boolean createsClaim() {
            return storageClass != null && size != null;
        }
    }

    public record EmptyDir(String medium, String sizeLimit) implements VolumeSource {
    }

    public record Nfs(String path, String server) implements VolumeSource {
    }
}
