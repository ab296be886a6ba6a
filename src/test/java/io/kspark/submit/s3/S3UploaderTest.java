package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.testing.FakeS3;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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
        Map<String, String> conf = new HashMap<>(Map.of("spark.hadoop.fs.s3a.endpoint", s3.endpoint(),
                "spark.hadoop.fs.s3a.path.style.access", "true", "spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK"));
        conf.putAll(extra);
        return new S3Uploader(SparkConf.of(conf), LocalEnvironment.of(Map.of()), Clock.systemUTC(), Duration.ZERO);
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
