package io.kspark.build;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Build step (package phase, see pom.xml): the training run for {@code bin/kspark}'s class-data
 * archive. A real submission against a throw-away CRUD mock API server loads what every submission
 * loads (conf, feature steps, serialisation, the API client, response parsing), which the JVM then
 * writes to {@code kspark-cds.jsa}.
 *
 * <p>Arguments: {@code <java> <quarkus-app dir>}.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        Path app = Path.of(args[1]);
        Path archive = app.resolve("kspark-cds.jsa");
        Files.deleteIfExists(archive);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            List<String> command = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", app.resolve("quarkus-run.jar").toString(),
                    "submit", "--master", "k8s://http://127.0.0.1:" + server.getPort(), "--deploy-mode", "cluster", "--name", "spark-pi",
                    "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
                    "--conf", "spark.kubernetes.submission.waitAppCompletion=false",
                    "local:///opt/spark/examples/jars/spark-examples.jar", "100"));
            Process training = new ProcessBuilder(command).inheritIO().start();
            if (!training.waitFor(120, TimeUnit.SECONDS) || training.exitValue() != 0) {
                training.destroyForcibly();
                throw new IllegalStateException("class-data training run failed: " + command);
            }
        } finally {
            server.destroy();
        }
    }
}
