package io.kspark.submit.s3;

import com.sun.net.httpserver.HttpServer;
import io.kspark.conf.SparkConf;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.testing.FakeS3;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3UploaderTest {

    FakeS3 s3;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        s3 = new FakeS3("AK", "SK");
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    S3Uploader uploader(Map<String, String> extra) {
        return uploader(extra, Map.of());
    }

    S3Uploader uploader(Map<String, String> extra, Map<String, String> env) {
        Map<String, String> conf = new HashMap<>(Map.of("spark.hadoop.fs.s3a.endpoint", s3.endpoint(),
                "spark.hadoop.fs.s3a.path.style.access", "true", "spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK"));
        conf.putAll(extra);
        return new S3Uploader(SparkConf.of(conf), LocalEnvironment.of(env), Clock.systemUTC(), Duration.ZERO);
    }

    @Test
    void putsTheFileUnderItsKeyWithAValidSignatureAndPayloadHash() throws IOException {
        Path jar = Files.writeString(dir.resolve("my app.jar"), "jar bytes");
        uploader(Map.of("spark.hadoop.fs.s3a.encryption.algorithm", "SSE-S3"))
                .put("s3a://bucket/up//spark-upload-1/my app.jar", jar);

        assertThat(s3.stored()).singleElement().satisfies(put -> {
            assertThat(put.rawPath()).isEqualTo("/bucket/up/spark-upload-1/my%20app.jar");
            assertThat(put.bodyText()).isEqualTo("jar bytes");
            assertThat(put.headers()).containsEntry("x-amz-server-side-encryption", "AES256")
                    .containsEntry("content-type", "application/octet-stream");
            assertThat(put.headers().get("authorization")).contains("Credential=AK/").contains("/us-east-1/s3/aws4_request")
                    .contains("x-amz-server-side-encryption");
        });
    }

    @Test
    void aWebIdentityIsExchangedOnceForKeysThatSignEveryUpload() throws IOException {
        List<String> stsCalls = new CopyOnWriteArrayList<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            stsCalls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>AK</AccessKeyId>"
                    + "<SecretAccessKey>SK</SecretAccessKey><SessionToken>ROLE-TOKEN</SessionToken></Credentials>"
                    + "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        try {
            Path token = Files.writeString(dir.resolve("token"), "projected");
            Map<String, String> irsa = Map.of("AWS_ROLE_ARN", "arn:aws:iam::1:role/r", "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                    "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort());
            // only the web identity: the options' static keys are not on the provider list
            S3Uploader uploader = uploader(Map.of("spark.hadoop.fs.s3a.aws.credentials.provider",
                    "com.amazonaws.auth.WebIdentityTokenCredentialsProvider"), irsa);
            uploader.put("s3a://bucket/up/a.txt", Files.writeString(dir.resolve("a.txt"), "a"));
            uploader.put("s3a://bucket/up/b.txt", Files.writeString(dir.resolve("b.txt"), "b"));
        } finally {
            sts.stop(0);
        }
        assertThat(stsCalls).hasSize(1);
        assertThat(s3.stored()).hasSize(2).allSatisfy(put -> assertThat(put.headers()).containsEntry("x-amz-security-token", "ROLE-TOKEN"));
    }

    @Test
    void aBucketsProxyCarriesItsUploads() throws IOException {
        // The endpoint's host does not resolve: only a request sent through the proxy (the fake) can arrive.
        URI fake = URI.create(s3.endpoint());
        uploader(Map.of("spark.hadoop.fs.s3a.endpoint", "http://s3.example.invalid:9000", "spark.hadoop.fs.s3a.proxy.host", fake.getHost(),
                "spark.hadoop.fs.s3a.proxy.port", Integer.toString(fake.getPort())))
                .put("s3a://bucket/up/a.txt", Files.writeString(dir.resolve("a.txt"), "via proxy"));
        assertThat(s3.stored()).singleElement().satisfies(put -> {
            assertThat(put.headers()).containsEntry("host", "s3.example.invalid:9000");
            assertThat(put.bodyText()).isEqualTo("via proxy");
        });
    }

    @Test
    void proxySettingsKsparkCannotHonourNameTheirKey() {
        assertThatThrownBy(() -> uploader(Map.of("spark.hadoop.fs.s3a.proxy.port", "3128")).check("s3a://bucket/a"))
                .hasMessage("spark.hadoop.fs.s3a.proxy.port: is set without spark.hadoop.fs.s3a.proxy.host");
        assertThatThrownBy(() -> uploader(Map.of("spark.hadoop.fs.s3a.proxy.host", "proxy", "spark.hadoop.fs.s3a.proxy.username", "u"))
                .check("s3a://bucket/a")).hasMessageStartingWith("spark.hadoop.fs.s3a.proxy.username: kspark's uploads cannot authenticate");
        assertThatThrownBy(() -> uploader(Map.of("spark.hadoop.fs.s3a.proxy.host", "proxy", "spark.hadoop.fs.s3a.proxy.port", "http"))
                .check("s3a://bucket/a")).hasMessage("spark.hadoop.fs.s3a.proxy.port: 'http' is not a TCP port (1-65535)");
    }

    @Test
    void retriesWhatS3AsksToBeRetried() throws IOException {
        s3.failNext(503, 500);
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        uploader(Map.of()).put("s3a://bucket/up/a.txt", file);
        assertThat(s3.attempts()).containsExactly("PUT /bucket/up/a.txt", "PUT /bucket/up/a.txt", "PUT /bucket/up/a.txt");
        assertThat(s3.stored()).hasSize(1);
    }

    @Test
    void aRefusalIsOneLineWithS3sCodeAndNoOtherBodyText() throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        assertThatThrownBy(() -> uploader(Map.of("spark.hadoop.fs.s3a.secret.key", "WRONG")).put("s3a://bucket/up/a.txt", file))
                .isInstanceOf(IOException.class)
                .hasMessage("uploading " + file + " to s3a://bucket/up/a.txt failed: HTTP 403 SignatureDoesNotMatch: The request signature"
                        + " we calculated does not match the signature you provided.");
        assertThat(s3.attempts()).hasSize(1); // a 403 is final
    }

    @Test
    void givesUpAfterFourAttempts() throws IOException {
        s3.failNext(503, 503, 503, 503, 503);
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        assertThatThrownBy(() -> uploader(Map.of()).put("s3a://bucket/up/a.txt", file))
                .hasMessageEndingWith("failed: HTTP 503 Scripted: scripted failure");
        assertThat(s3.attempts()).hasSize(4);
    }

    @Test
    void anUnreachableEndpointFailsWithTheTarget() throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");
        String endpoint = s3.endpoint();
        s3.close();
        assertThatThrownBy(() -> uploader(Map.of("spark.hadoop.fs.s3a.endpoint", endpoint)).put("s3a://bucket/up/a.txt", file))
                .isInstanceOf(IOException.class).hasMessageStartingWith("uploading " + file + " to s3a://bucket/up/a.txt failed:");
    }

    @Test
    void describesOnlyCodeAndMessage() {
        assertThat(S3Uploader.describe("<Error><Code>AccessDenied</Code><Message>Access Denied</Message><StringToSign>x</StringToSign></Error>"))
                .isEqualTo(" AccessDenied: Access Denied");
        assertThat(S3Uploader.describe("")).isEmpty();
    }
}
