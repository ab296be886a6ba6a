package io.kspark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code target/quarkus-app/bin/kspark}, the JVM launcher users put on their PATH. */
@DisabledIfSystemProperty(named = "kspark.launcher", matches = ".+", disabledReason = "native builds have no JVM launcher")
class LauncherScriptIT {

    static final Path SCRIPT = Path.of("target/quarkus-app/bin/kspark");

    static OneShotCommandIT.Run kspark(Map<String, String> env, String... args) throws Exception {
        return OneShotCommandIT.run(List.of(SCRIPT.toString()), env, args);
    }

    @Test
    void runsOneShotCommandsWithTheirExitCodes() throws Exception {
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        OneShotCommandIT.Run version = kspark(Map.of(), "--version");
        assertThat(version.exitCode()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("kspark 0.1.0-SNAPSHOT ").contains("Spark 4.1.1");
        OneShotCommandIT.Run unknown = kspark(Map.of(), "submit", "--nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().trim()).isEqualTo("kspark: error: Unknown option: '--nope' (see 'kspark submit --help')");
    }

    @Test
    void oneShotCommandsLoadKsparkFromTheTrainedClassDataArchive() throws Exception {
        assertThat(Path.of("target/quarkus-app/kspark-cds.jsa")).isRegularFile();
        Path classLog = Files.createTempFile("kspark-class-load", ".log");
        OneShotCommandIT.Run run = kspark(Map.of("KSPARK_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "submit", "--dry-run",
                "--master", "k8s://https://kubernetes.example:6443", "--deploy-mode", "cluster", "--name", "spark-pi",
                "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
                "local:///opt/spark/examples/jars/spark-examples.jar", "100");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("spark-kubernetes-driver");
        assertThat(Files.readAllLines(classLog)).filteredOn(l -> l.contains("io.kspark.submit.SubmissionPlanner source:"))
                .singleElement().asString().contains("shared objects file");
        Files.delete(classLog);
    }
}
