package io.kspark.nativeit;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native-only checks run against the built binary (added to the test sources by -Pnative): the parts
 * that depend on reflection and serialisation registrations.
 */
@QuarkusMainIntegrationTest
class NativeLaunchIT {

    @Test
    @Launch({"submit", "--dry-run", "-o", "json", "--master", "k8s://https://kubernetes.example:6443", "--deploy-mode", "cluster",
            "--name", "spark-pi", "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
            "--conf", "spark.kspark.reconciler=controller", "local:///opt/spark/examples/jars/spark-examples.jar"})
    void jsonDryRunWithReconcilerLabels(LaunchResult result) {
        assertThat(result.getOutput()).startsWith("{").contains("\"kspark.io/reconciler\" : \"controller\"")
                .contains("io.kspark.spark.KsparkPodsAllocator");
    }

    @Test
    @Launch({"controller", "--help"})
    void serverCommandsAreThere(LaunchResult result) {
        assertThat(result.getOutput()).contains("--namespace");
    }

    @Test
    @Launch(value = {"list", "--master", "k8s://http://127.0.0.1:1", "-o", "json"}, exitCode = 3)
    void apiErrorsAreOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("kspark: error: cannot list Spark applications");
    }
}
