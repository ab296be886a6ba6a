package io.kspark.conf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    /** key, value, hidden by Spark's default regex plus S3A's encryption keys */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "spark.hadoop.fs.s3a.secret.key, s, true",
            "spark.hadoop.fs.s3a.access.key, a, true",
            "spark.hadoop.fs.s3a.session.token, t, true",
            "spark.hadoop.fs.s3a.encryption.key, MDEy, true",
            "spark.hadoop.fs.s3a.bucket.my.bucket.server-side-encryption.key, MDEy, true",
            "spark.hadoop.fs.s3a.encryption.algorithm, SSE-C, false",
            "spark.app.name, pi, false",
            "spark.app.name, my-password-app, true"})
    void hidesSecretLookingKeysAndValues(String key, String value, boolean hidden) {
        assertThat(Redaction.DEFAULT.hides(key, value)).isEqualTo(hidden);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spark.hadoop.fs.s3a.encryption.key, true", "spark.hadoop.fs.s3a.secret.key, false"})
    void s3aEncryptionKeysStayHiddenUnderAUserRegex(String key, boolean hidden) {
        Redaction userRule = Redaction.of(SparkConf.of(Map.of(Redaction.REGEX_KEY, "(?i)nothing-matches-this")));
        assertThat(userRule.hides(key, "value")).isEqualTo(hidden);
    }
}
