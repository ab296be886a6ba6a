package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialChainTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

    static CredentialSource source(Map<String, String> conf, Map<String, String> env) {
        LocalEnvironment environment = LocalEnvironment.of(env);
        return CredentialChain.resolve(new S3Options(SparkConf.of(conf), environment, Map.of(), "data"), environment, CLOCK);
    }

    static S3Credentials resolve(Map<String, String> conf, Map<String, String> env) {
        return ((CredentialSource.Keys) source(conf, env)).credentials();
    }

    static final Map<String, String> IRSA = Map.of("AWS_ROLE_ARN", "arn:aws:iam::1:role/spark-submit",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token");

    @Test
    void webIdentityVariablesGiveAnStsRoleAssumption() {
        String provider = "spark.hadoop.fs.s3a.aws.credentials.provider";
        assertThat(source(Map.of(provider, "com.amazonaws.auth.WebIdentityTokenCredentialsProvider"), IRSA))
                .isEqualTo(new CredentialSource.WebIdentity("arn:aws:iam::1:role/spark-submit",
                        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", "kspark-" + CLOCK.millis(), URI.create("https://sts.amazonaws.com")));
        Map<String, String> regional = new HashMap<>(IRSA);
        regional.put("AWS_REGION", "eu-west-1");
        regional.put("AWS_ROLE_SESSION_NAME", "airflow");
        assertThat(source(Map.of(provider, "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider"), regional))
                .isEqualTo(new CredentialSource.WebIdentity("arn:aws:iam::1:role/spark-submit",
                        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", "airflow", URI.create("https://sts.eu-west-1.amazonaws.com")));
        regional.put("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1234");
        assertThat(((CredentialSource.WebIdentity) source(Map.of(provider, WEB_IDENTITY_V2), regional)).sts())
                .isEqualTo(URI.create("http://127.0.0.1:1234"));
        // the bucket's region (a MinIO's, say) is not STS's
        assertThat(((CredentialSource.WebIdentity) source(Map.of(provider, WEB_IDENTITY_V2, "spark.hadoop.fs.s3a.endpoint.region", "eu-1"),
                IRSA)).sts()).isEqualTo(URI.create("https://sts.amazonaws.com"));
        // S3A's own default chain has no web-identity step
        assertThat(source(Map.of(), IRSA)).isInstanceOf(CredentialSource.InstanceMetadata.class);
    }

    static final String WEB_IDENTITY_V2 = "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider";

    @Test
    void containerCredentialsServeS3asInstanceStep() {
        assertThat(source(Map.of(), Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token")))
                .isEqualTo(new CredentialSource.Container(URI.create("http://169.254.170.23/v1/credentials"),
                        Optional.of("/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"), Optional.empty()));
        assertThat(source(Map.of(), Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")))
                .isEqualTo(new CredentialSource.Container(URI.create("http://169.254.170.2/v2/credentials/abc"), Optional.empty(), Optional.empty()));
    }

    @Test
    void theSdkDefaultChainPrefersEnvironmentKeys() {
        Map<String, String> env = new HashMap<>(IRSA);
        env.put("AWS_ACCESS_KEY_ID", "ENV-AK");
        env.put("AWS_SECRET_ACCESS_KEY", "ENV-SK");
        assertThat(source(Map.of("spark.hadoop.fs.s3a.aws.credentials.provider", "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"), env))
                .isEqualTo(new CredentialSource.Keys(S3Credentials.signed("ENV-AK", "ENV-SK", Optional.empty())));
    }

    static S3Credentials keys(S3Options options, LocalEnvironment env) {
        return ((CredentialSource.Keys) CredentialChain.resolve(options, env, CLOCK)).credentials();
    }

    @Test
    void coreSiteXmlIsTheLowestLayerAndItsPerBucketKeysStillWin() {
        Map<String, String> site = Map.of("fs.s3a.access.key", "SITE-AK", "fs.s3a.secret.key", "SITE-SK");
        LocalEnvironment none = LocalEnvironment.of(Map.of());
        assertThat(keys(new S3Options(SparkConf.empty(), none, site, "data"), none).accessKey()).isEqualTo("SITE-AK");
        LocalEnvironment keys = LocalEnvironment.of(Map.of("AWS_ACCESS_KEY_ID", "ENV-AK", "AWS_SECRET_ACCESS_KEY", "ENV-SK"));
        assertThat(keys(new S3Options(SparkConf.empty(), keys, site, "data"), keys).accessKey())
                .as("spark-submit copies the variables over core-site.xml").isEqualTo("ENV-AK");
        Map<String, String> perBucket = Map.of("fs.s3a.bucket.data.access.key", "SITE-BUCKET-AK", "fs.s3a.bucket.data.secret.key", "SITE-BUCKET-SK");
        SparkConf global = SparkConf.of(Map.of("spark.hadoop.fs.s3a.access.key", "AK", "spark.hadoop.fs.s3a.secret.key", "SK"));
        S3Options layered = new S3Options(global, none, perBucket, "data");
        assertThat(keys(layered, none).accessKey()).isEqualTo("SITE-BUCKET-AK");
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
                "org.apache.hadoop.fs.s3a.auth.AssumedRoleCredentialProvider"), Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.bucket.data.aws.credentials.provider: kspark cannot use"
                        + " org.apache.hadoop.fs.s3a.auth.AssumedRoleCredentialProvider to upload");
    }

    @Test
    void withoutKeysS3asChainEndsAtTheInstanceMetadataService() {
        assertThat(source(Map.of(), Map.of())).isEqualTo(new CredentialSource.InstanceMetadata(URI.create("http://169.254.169.254")));
        assertThat(source(Map.of(), Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[fd00:ec2::254]/")))
                .isEqualTo(new CredentialSource.InstanceMetadata(URI.create("http://[fd00:ec2::254]")));
        assertThat(source(Map.of(), Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"))).isInstanceOf(CredentialSource.Container.class);
    }

    @Test
    void noKeysAnywhereSaysWhereToPutThem() {
        assertThatThrownBy(() -> resolve(Map.of("spark.hadoop.fs.s3a.access.key", "AK-only"), Map.of("AWS_ACCESS_KEY_ID", "only-one",
                "AWS_EC2_METADATA_DISABLED", "true")))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.access.key: no S3 credentials to upload to bucket data");
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(S3Credentials.signed("AK", "very-secret", Optional.of("session-secret")).toString())
                .contains("AK").doesNotContain("very-secret").doesNotContain("session-secret");
    }
}
