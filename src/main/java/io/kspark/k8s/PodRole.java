package io.kspark.k8s;

/** Driver or executor: selects the role-specific {@code spark.kubernetes.<role>.*} keys. */
public enum PodRole {
    DRIVER("driver"),
    EXECUTOR("executor");

    private final String prefix;

    PodRole(String role) {
        this.prefix = "spark.kubernetes." + role + ".";
    }

    public String labelPrefix() {
        return prefix + "label.";
    }

    public String annotationPrefix() {
        return prefix + "annotation.";
    }

    public String secretsPrefix() {
        return prefix + "secrets.";
    }

    public String secretKeyRefPrefix() {
        return prefix + "secretKeyRef.";
    }

    public String volumesPrefix() {
        return prefix + "volumes.";
    }

    public String nodeSelectorPrefix() {
        return prefix + "node.selector.";
    }
}
