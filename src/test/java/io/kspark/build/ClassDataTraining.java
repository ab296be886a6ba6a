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
 * writes to the archive the option names: {@code -XX:ArchiveClassesAtExit=.../kspark-cds.jsa} (AppCDS, any JDK 17+)
 * or, with {@code -Pjdk25-aot}, {@code -XX:AOTCacheOutput=.../kspark.aot} (JDK 25 AOT cache).
 *
 * <p>Arguments: {@code <java> <quarkus-app dir> <archive option>}.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        Path app = Path.of(args[1]);
        String archiveOption = args[2];
        // bin/kspark uses whichever archive exists: only the one trained now may.
        Files.deleteIfExists(app.resolve("kspark-cds.jsa"));
        Files.deleteIfExists(app.resolve("kspark.aot"));
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try {
            List<String> command = new ArrayList<>(List.of(java, archiveOption, "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-Xlog:disable", "-jar", app.resolve("quarkus-run.jar").toString(),
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
