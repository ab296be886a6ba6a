package io.kspark.cli;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.testing.Cli;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Without --master, commands use the kubeconfig; spark.kubernetes.context picks the context. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubeconfigTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    @TempDir
    Path dir;

    /** The test server points every fabric8 client at itself through these; a real user has none of them. */
    private static final java.util.List<String> OVERRIDES = java.util.List.of(
            "kubernetes.master", "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount", "kubernetes.namespace");
    private final Map<String, String> saved = new java.util.HashMap<>();

    KubernetesClient client;

    @BeforeEach
    void writeKubeconfig() throws Exception {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
        String mock = client.getMasterUrl().toString().replaceAll("/$", "");
        Path kubeconfig = dir.resolve("config");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                - name: nowhere
                  cluster: {server: "http://127.0.0.1:1"}
                users:
                - name: user
                  user: {token: kubeconfig-token}
                contexts:
                - name: mock
                  context: {cluster: mock, user: user, namespace: jobs}
                - name: nowhere
                  context: {cluster: nowhere, user: user}
                current-context: nowhere
                """.formatted(mock));
        for (String key : OVERRIDES) {
            String value = System.clearProperty(key);
            if (value != null) {
                saved.put(key, value);
            }
        }
        System.setProperty("kubeconfig", kubeconfig.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("kubeconfig");
        saved.forEach(System::setProperty);
    }

    @Test
    void contextFromSparkConfSelectsClusterAndNamespace() throws Exception {
        client.pods().inNamespace("jobs").resource(new PodBuilder().withNewMetadata().withName("pi-driver")
                .withLabels(Map.of("spark-role", "driver", "spark-app-selector", "spark-a")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
        Cli.Result result = Cli.run(factory, "list", "--conf", "spark.kubernetes.context=mock");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).contains("pi-driver");
        String auth = server.getLastRequest().getHeader("Authorization");
        assertThat(auth).isEqualTo("Bearer kubeconfig-token");
    }

    @Test
    void currentContextIsUsedByDefault() {
        Cli.Result result = Cli.run(factory, "list");
        assertThat(result.exitCode()).isEqualTo(3);
        // Which server was tried comes from the kubeconfig, so the error says it.
        assertThat(result.err()).contains("cannot reach the API server http://127.0.0.1:1/ (");
    }

    @Test
    void submissionTokenOverridesTheKubeconfigUser() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "file-token\n");
        Cli.Result result = Cli.run(factory, "list", "--conf", "spark.kubernetes.context=mock",
                "--conf", "spark.kubernetes.authenticate.submission.oauthTokenFile=" + tokenFile);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(server.getLastRequest().getHeader("Authorization")).isEqualTo("Bearer file-token");
        Cli.Result both = Cli.run(factory, "list", "--conf", "spark.kubernetes.context=mock",
                "--conf", "spark.kubernetes.authenticate.submission.oauthTokenFile=" + tokenFile,
                "--conf", "spark.kubernetes.authenticate.submission.oauthToken=x");
        assertThat(both.exitCode()).isEqualTo(2);
    }
}
