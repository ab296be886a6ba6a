package io.kspark.spark;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DriverHandOverTest {

    @Test
    void configMapNamesAreDnsNamesDerivedFromTheAppId() {
        assertThat(DriverHandOver.configMapName("spark-0123456789abcdef")).isEqualTo("spark-0123456789abcdef-driver-conf");
        assertThat(DriverHandOver.configMapName("My_App:42")).isEqualTo("my-app-42-driver-conf");
        assertThat(DriverHandOver.configMapName("---")).isEqualTo("spark-driver-conf");
        assertThat(DriverHandOver.configMapName("a".repeat(300))).hasSize(200 + "-driver-conf".length());
    }

    @Test
    void secretLookingKeysAreLeftOutAndTheAppIdIsSet() {
        Pattern redaction = DriverHandOver.redaction(DriverHandOver.DEFAULT_REDACTION);
        Map<String, String> published = DriverHandOver.publishedProperties(Map.of(
                "spark.driver.port", "40000",
                "spark.ssl.keyPassword", "x",
                "spark.hadoop.fs.s3a.access.key", "AKIA",
                "spark.hadoop.fs.s3a.accesskey", "AKIA",
                "spark.kubernetes.authenticate.submission.oauthToken", "t",
                "spark.app.id", "stale"), "spark-new", redaction);

        assertThat(published).containsOnly(Map.entry("spark.driver.port", "40000"), Map.entry("spark.app.id", "spark-new"));
    }

    @Test
    void secretReferencesAndValuesThatMerelyMentionAWordOfTheRedactionReachTheExecutors() {
        Map<String, String> published = DriverHandOver.publishedProperties(Map.of(
                "spark.kubernetes.executor.secrets.spark-auth", "/mnt/spark-auth",
                "spark.kubernetes.executor.secretKeyRef.DB_PASSWORD", "db:password",
                "spark.kubernetes.kerberos.tokenSecret.name", "delegation-tokens",
                "spark.driver.host", "token-analysis-0-svc.team.svc",
                "spark.kubernetes.executor.podNamePrefix", "password-reset-etl",
                "spark.authenticate.secret", "s3cr3t"), "spark-new", DriverHandOver.redaction(DriverHandOver.DEFAULT_REDACTION));

        assertThat(published).containsOnlyKeys("spark.kubernetes.executor.secrets.spark-auth", "spark.kubernetes.executor.secretKeyRef.DB_PASSWORD",
                "spark.kubernetes.kerberos.tokenSecret.name", "spark.driver.host", "spark.kubernetes.executor.podNamePrefix", "spark.app.id");
        assertThat(published).containsEntry("spark.driver.host", "token-analysis-0-svc.team.svc");
    }

    @Test
    void theAuthSecretFilePathsArePublishedForTheExecutors() {
        Map<String, String> published = DriverHandOver.publishedProperties(Map.of(
                "spark.authenticate", "true",
                "spark.authenticate.secret", "s3cr3t",
                "spark.authenticate.secret.file", "/mnt/spark-secret/key",
                "spark.authenticate.secret.executor.file", "/mnt/spark-secret/key"), "spark-new",
                DriverHandOver.redaction(DriverHandOver.DEFAULT_REDACTION));

        assertThat(published).containsOnly(Map.entry("spark.authenticate", "true"), Map.entry("spark.app.id", "spark-new"),
                Map.entry("spark.authenticate.secret.file", "/mnt/spark-secret/key"),
                Map.entry("spark.authenticate.secret.executor.file", "/mnt/spark-secret/key"));
    }

    @Test
    void aDriverPodWithItsOwnConfVolumeNeedsNoHandOver() {
        assertThat(DriverHandOver.needed(Fixtures.driverPod(Map.of()))).isFalse();
        assertThat(DriverHandOver.needed(Fixtures.notebookPod(Map.of(), Map.of()))).isTrue();
    }

    @Test
    void podPatchNamesTheAppAndConfigMapAndClearsEarlierBookkeeping() {
        DriverHandOver handOver = DriverHandOver.of(Fixtures.notebookPod(Map.of(), Map.of()), "spark-1", Map.of(),
                DriverHandOver.redaction(null), "jovyan");

        assertThat(handOver.podPatch("4", null, "2026-12-01T22:00:00Z")).isEqualTo("{\"metadata\":{\"labels\":{\"spark-app-selector\":\"spark-1\",\"spark-role\":\"driver\"},"
                + "\"annotations\":{\"kspark.io/spark-conf\":\"spark-1-driver-conf\",\"kspark.io/spark-user\":\"jovyan\","
                + "\"kspark.io/driver-heartbeat\":\"2026-12-01T22:00:00Z\",\"kspark.io/last-executor-id\":null,"
                + "\"kspark.io/executor-failures\":null,\"kspark.io/executor-failure-times\":null,\"kspark.io/counted-failures\":null,"
                + "\"kspark.io/allocation-stopped\":null,\"kspark.io/resource-profiles\":null,\"kspark.io/executor-target\":\"4\"}}}");
        assertThat(handOver.podPatch(null, null, "2026-12-01T22:00:00Z")).contains("\"kspark.io/executor-target\":null");
        assertThat(handOver.podPatch("0=1,1=2", "{\"1\":{\"cores\":{\"amount\":4}}}", "2026-12-01T22:00:00Z"))
                .contains("\"kspark.io/resource-profiles\":\"{\\\"1\\\":{\\\"cores\\\":{\\\"amount\\\":4}}}\"");
        assertThat(DriverHandOver.heartbeatPatch("2026-12-01T22:00:15Z"))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"kspark.io/driver-heartbeat\":\"2026-12-01T22:00:15Z\"}}}");
        assertThat(handOver.configMap().getImmutable()).isTrue();
    }
}
