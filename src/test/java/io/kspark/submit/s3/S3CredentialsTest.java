package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3CredentialsTest {

    static S3Credentials resolve(Map<String, String> conf, Map<String, String> env) {
        LocalEnvironment environment = LocalEnvironment.of(env);
        return S3Credentials.resolve(new S3Options(SparkConf.of(conf), environment, Map.of(), "data"), environment);
    }

    @Test
    void coreSiteXmlIsTheLowestLayerAndItsPerBucketKeysStillWin() {
        Map<String, String> site = Map.of("fs.s3a.access.key", "SITE-AK", "fs.s3a.secret.key", "SITE-SK");
        LocalEnvironment none = LocalEnvironment.of(Map.of());
        assertThat(S3Credentials.resolve(new S3Options(SparkConf.empty(), none, site, "data"), none).accessKey()).isEqualTo("SITE-AK");
        LocalEnvironment keys = LocalEnvironment.of(Map.of("AWS_ACCESS_KEY_ID", "ENV-AK", "AWS_SECRET_ACCESS_KEY", "ENV-SK"));
        assertThat(S3Credentials.resolve(new S3Options(SparkConf.empty(), keys, site, "data"), keys).accessKey())
                .as("spark-submit copies the variables over core-site.xml").isEqualTo("ENV-AK");
        Map<String, String> perBucket = Map.of("fs.s3a.bucket.data.access.key", "SITE-BUCKET-AK", "fs.s3a.bucket.data.secret.key", "SITE-BUCKET-SK");
        SparkConf global = SparkConf.of(Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK"));
        S3Options layered = new S3Options(global, none, perBucket, "data");
        assertThat(S3Credentials.resolve(layered, none).accessKey()).isEqualTo("SITE-BUCKET-AK");
        assertThat(layered.keyOf("access.key")).isEqualTo("fs.s3a.bucket.data.access.key (in HADOOP_CONF_DIR/core-site.xml)");
    }

    @Test
    void keysComeFromS3aOptionsPerBucketFirst() {
        Map<String, String> conf = Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK",
                "spark.hadoop.fs.s3a.bucket.data.access.key", "BUCKET-AK", "spark.hadoop.fs.s3a.bucket.data.secret.key", "BUCKET-SK");
        assertThat(resolve(conf, Map.of())).isEqualTo(S3Credentials.signed("BUCKET-AK", "BUCKET-SK", Optional.empty()));
        assertThat(resolve(Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK"), Map.of()))
                .isEqualTo(S3Credentials.signed("AK", "SK", Optional.empty()));
    }

    @Test
    void theDefaultChainTakesTemporaryKeysBeforeSimpleOnes() {
        Map<String, String> conf = Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK",
                "spark.hadoop.fs.s3a.session.token", "TOKEN");
        assertThat(resolve(conf, Map.of()).sessionToken()).contains("TOKEN");
        // the simple provider alone ignores a session token
        assertThat(resolve(Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK",
                "spark.hadoop.fs.s3a.session.token", "TOKEN",
                "spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"), Map.of())
                .sessionToken()).isEmpty();
    }

    @Test
    void awsEnvironmentVariablesServeWhenTheConfHasNoKeys() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "ENV-AK", "AWS_SECRET_ACCESS_KEY", "ENV-SK", "AWS_SESSION_TOKEN", "ENV-TOKEN");
        assertThat(resolve(Map.of(), env)).isEqualTo(S3Credentials.signed("ENV-AK", "ENV-SK", Optional.of("ENV-TOKEN")));
        assertThat(resolve(Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK"), env).accessKey())
                .isEqualTo("AK");
        assertThat(resolve(Map.of("spark.hadoop.fs.s3a.aws.credentials.provider",
                "com.amazonaws.auth.EnvironmentVariableCredentialsProvider"), env).accessKey()).isEqualTo("ENV-AK");
    }

    @Test
    void theAnonymousProviderSignsNothing() {
        assertThat(resolve(Map.of("spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider"),
                Map.of()).anonymous()).isTrue();
    }

    @Test
    void aProviderKsparkCannotRunIsNamed() {
        assertThatThrownBy(() -> resolve(Map.of("spark.hadoop.fs.s3a.bucket.data.aws.credentials.provider",
                "com.amazonaws.auth.WebIdentityTokenCredentialsProvider"), Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.bucket.data.aws.credentials.provider: kspark uploads with access keys only"
                        + " and cannot use com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
    }

    @Test
    void noKeysAnywhereSaysWhereToPutThem() {
        assertThatThrownBy(() -> resolve(Map.of("spark.hadoop.fs.s3a.access.key", "AK-only"), Map.of("AWS_ACCESS_KEY_ID", "only-one")))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.access.key: no S3 credentials to upload to bucket data");
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(S3Credentials.signed("AK", "very-secret", Optional.of("session-secret")).toString())
                .contains("AK").doesNotContain("very-secret").doesNotContain("session-secret");
    }
}
