package io.kspark.cli;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Launches the built artifact (JVM jar, or the native binary under -Pnative) the way Quarkus runs
 * integration tests.
 */
@QuarkusMainIntegrationTest
class LaunchIT {

    @Test
    @Launch({"submit", "--dry-run", "--master", "k8s://https://kubernetes.example:6443", "--deploy-mode", "cluster", "--name", "spark-pi",
            "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
            "local:///opt/spark/examples/jars/spark-examples.jar", "100"})
    void dryRunPrintsTheObjects(LaunchResult result) {
        assertThat(result.getOutput()).contains("kind: \"List\"").contains("spark-kubernetes-driver").contains("-driver-svc").contains("-exec-1");
    }

    @Test
    @Launch({"--version"})
    void version(LaunchResult result) {
        assertThat(result.getOutput()).startsWith("kspark ");
    }

    @Test
    @Launch(value = {"submit", "--deploy-mode", "cluster", "--master", "k8s://https://kubernetes.example:6443", "--class", "A",
            "local:///a.jar"}, exitCode = 2)
    void missingImageIsABadInputError(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("spark.kubernetes.container.image: is required");
    }
}
