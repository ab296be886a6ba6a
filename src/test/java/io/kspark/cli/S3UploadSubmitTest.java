package io.kspark.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.testing.Cli;
import io.kspark.testing.FakeS3;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Submissions whose local files go to {@code spark.kubernetes.file.upload.path=s3a://...}, against a fake S3 and the mock API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class S3UploadSubmitTest {

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    CommandLine.IFactory factory;
    @TempDir
    Path dir;

    KubernetesClient client;
    FakeS3 s3;
    Path jar;

    @BeforeEach
    void start() throws IOException {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
        s3 = new FakeS3("AK", "s3-secret-key");
        jar = Files.writeString(dir.resolve("deps.jar"), "dependency bytes");
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    String[] submit(String... extra) {
        List<String> args = new ArrayList<>(List.of("submit", "--master", "k8s://" + client.getMasterUrl().toString().replaceAll("/$", ""),
                "--deploy-mode", "cluster", "--name", "up", "--class", "org.example.App",
                "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1", "--conf", "spark.kubernetes.submission.waitAppCompletion=false",
                "--conf", "spark.kubernetes.file.upload.path=s3a://deps/uploads", "--conf", "spark.hadoop.fs.s3a.endpoint=" + s3.endpoint(),
                "--conf", "spark.hadoop.fs.s3a.path.style.access=true", "--conf", "spark.hadoop.fs.s3a.access.key=AK",
                "--conf", "spark.hadoop.fs.s3a.secret.key=s3-secret-key", "--jars", jar.toString()));
        args.addAll(List.of(extra));
        args.add("local:///opt/app.jar");
        return args.toArray(String[]::new);
    }

    boolean clusterIsEmpty() {
        return client.pods().inAnyNamespace().list().getItems().isEmpty()
                && client.configMaps().inAnyNamespace().list().getItems().isEmpty()
                && client.services().inAnyNamespace().list().getItems().isEmpty();
    }

    @Test
    void localJarsAreUploadedAndTheDriverIsToldTheirS3aUris() {
        Cli.Result result = Cli.run(factory, submit());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        FakeS3.Put put = s3.stored().get(0);
        assertThat(s3.stored()).hasSize(1);
        assertThat(put.rawPath()).matches("/deps/uploads/spark-upload-[0-9a-f-]{36}/deps\\.jar");
        assertThat(put.bodyText()).isEqualTo("dependency bytes");
        String key = put.rawPath().substring("/deps/".length());
        ConfigMap conf = client.configMaps().inNamespace("default").list().getItems().stream()
                .filter(cm -> cm.getData().containsKey("spark.properties")).findFirst().orElseThrow();
        assertThat(conf.getData().get("spark.properties")).contains("spark.jars=s3a\\://deps/" + key);
        assertThat(result.out() + result.err()).doesNotContain("s3-secret-key");
    }

    @Test
    void aRefusedUploadExitsOneNamingTheTargetAndCreatesNothing() {
        Cli.Result result = Cli.run(factory, submit("--conf", "spark.hadoop.fs.s3a.secret.key=wrong"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).containsPattern("kspark: error: uploading " + jar + " to s3a://deps/uploads/spark-upload-[0-9a-f-]+/deps.jar"
                + " failed: HTTP 403 SignatureDoesNotMatch");
        assertThat(result.err()).doesNotContain("wrong").doesNotContain("StringToSign");
        assertThat(clusterIsEmpty()).isTrue();
    }

    @Test
    void missingCredentialsExitTwoBeforeAnyRequest() {
        // Only the simple provider: S3A's default chain would end at this machine's EC2 instance metadata address.
        List<String> args = new ArrayList<>(List.of(withoutKeys()));
        args.addAll(args.size() - 1, List.of("--conf", "spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"));
        Cli.Result result = Cli.run(factory, args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("kspark: error: spark.hadoop.fs.s3a.access.key: no S3 credentials to upload to bucket deps");
        assertThat(s3.attempts()).isEmpty();
        assertThat(clusterIsEmpty()).isTrue();
    }

    @Test
    void aDryRunChecksTheS3SettingsAndWritesNothing() {
        Cli.Result bad = Cli.run(factory, submit("--dry-run", "--conf", "spark.hadoop.fs.s3a.encryption.algorithm=CSE-KMS"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("kspark: error: spark.hadoop.fs.s3a.encryption.algorithm: kspark uploads with SSE-S3");
        Cli.Result provider = Cli.run(factory, submit("--dry-run", "--conf",
                "spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.auth.AssumedRoleCredentialProvider"));
        assertThat(provider.exitCode()).isEqualTo(2);
        assertThat(provider.err()).contains("kspark: error: spark.hadoop.fs.s3a.aws.credentials.provider: kspark cannot use"
                + " org.apache.hadoop.fs.s3a.auth.AssumedRoleCredentialProvider");

        Cli.Result good = Cli.run(factory, submit("--dry-run"));
        assertThat(good.exitCode()).as(good.err()).isEqualTo(0);
        assertThat(good.err()).containsPattern("would upload " + jar + " to s3a://deps/uploads/spark-upload-[0-9a-f-]+/deps.jar");
        assertThat(good.out()).doesNotContain("s3-secret-key");
        assertThat(s3.attempts()).isEmpty();
    }

    /** The submission without its two key options (each a "--conf" and its value). */
    String[] withoutKeys() {
        List<String> args = new ArrayList<>(List.of(submit()));
        for (String option : List.of("spark.hadoop.fs.s3a.access.key=AK", "spark.hadoop.fs.s3a.secret.key=s3-secret-key")) {
            int at = args.indexOf(option);
            args.remove(at);
            args.remove(at - 1);
        }
        return args.toArray(String[]::new);
    }
}
