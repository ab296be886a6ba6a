package io.kspark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged launcher (the JVM jar, or the native binary with -Dkspark.launcher=...) as a
 * user would. One-shot commands must not open an HTTP port: the dry run is given a port this test
 * already holds, which a starting HTTP server could not bind.
 */
class OneShotCommandIT {

    static List<String> launcher() {
        String configured = System.getProperty("kspark.launcher");
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.split(" "));
        }
        return List.of("java", "-jar", "target/quarkus-app/quarkus-run.jar");
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(launcher(), env, args);
    }

    static Run run(List<String> launcher, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        assertThat(done).as("launcher finished").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void dryRunOpensNoHttpPort() throws Exception {
        try (ServerSocket held = new ServerSocket(0)) {
            Run run = run(java.util.Map.of("QUARKUS_HTTP_PORT", Integer.toString(held.getLocalPort())),
                    "submit", "--dry-run", "--master", "k8s://https://kubernetes.example:6443", "--deploy-mode", "cluster",
                    "--name", "spark-pi", "--class", "org.apache.spark.examples.SparkPi",
                    "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
                    "local:///opt/spark/examples/jars/spark-examples.jar", "100");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
            assertThat(run.out()).contains("kind: \"List\"").contains("spark-kubernetes-driver").contains("-exec-1");
            assertThat(run.err()).doesNotContain("Port already bound");
        }
    }

    @Test
    void versionAndUsageErrors() throws Exception {
        Run version = run(java.util.Map.of(), "--version");
        assertThat(version.exitCode()).isEqualTo(0);
        assertThat(version.out()).startsWith("kspark ").contains("Spark 4.1.1");
        Run unknown = run(java.util.Map.of(), "submit", "--nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().trim()).isEqualTo("kspark: error: Unknown option: '--nope' (see 'kspark submit --help')");
    }

    @Test
    void ctrlCWhileWaitingLeavesTheApplicationRunningAndExits130() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = server.createClient()) {
            // A build started in the background (`mvn verify &`) hands its children SIGINT ignored, and a JVM started with
            // SIGINT ignored leaves it ignored: give the launcher the default disposition a terminal's Ctrl-C meets.
            List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
            command.addAll(launcher());
            command.addAll(List.of("submit", "--master", "k8s://http://127.0.0.1:" + server.getPort(), "--deploy-mode", "cluster",
                    "--name", "spark-pi", "--class", "org.apache.spark.examples.SparkPi",
                    "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1",
                    "local:///opt/spark/examples/jars/spark-examples.jar", "100"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = output.readLine(); line != null && !line.startsWith("Waiting for application"); line = output.readLine()) {
                seen.append(line).append('\n');
            }
            assertThat(process.isAlive()).as(seen.toString()).isTrue();
            // Drained while it shuts down, so a full pipe can never hold it up.
            java.util.concurrent.CompletableFuture<String> restOfOutput = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return "(output unreadable: " + e + ")";
                }
            });
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                // Say where it hangs before failing: the threads of the process that did not stop.
                Process dump = new ProcessBuilder("jcmd", Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
                String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.destroyForcibly();
                org.junit.jupiter.api.Assertions.fail("still running 30 s after Ctrl-C; its threads:\n" + threads);
            }
            String rest = restOfOutput.get(10, TimeUnit.SECONDS);
            assertThat(process.exitValue()).as(rest).isEqualTo(130);
            assertThat(rest).contains("Stopped waiting; application spark-pi keeps running");
            assertThat(client.pods().inNamespace("default").withLabel("spark-role", "driver").list().getItems()).hasSize(1);
        } finally {
            server.destroy();
        }
    }
}
