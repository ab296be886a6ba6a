package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3EndpointTest {

    static S3Endpoint resolve(Map<String, String> conf, Map<String, String> env) {
        return S3Endpoint.resolve(new S3Options(SparkConf.of(conf), LocalEnvironment.of(env), Map.of(), "data"), LocalEnvironment.of(env));
    }

    /** endpoint option, region option, ssl option, resulting base, region */
    @ParameterizedTest(name = "endpoint={0} region={1} ssl={2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-                              | -         | -     | https://s3.us-east-1.amazonaws.com     | us-east-1",
            "-                              | eu-west-1 | -     | https://s3.eu-west-1.amazonaws.com     | eu-west-1",
            "-                              | cn-north-1| -     | https://s3.cn-north-1.amazonaws.com.cn | cn-north-1",
            "s3.eu-central-1.amazonaws.com  | -         | -     | https://s3.eu-central-1.amazonaws.com  | eu-central-1",
            "s3-ap-south-1.amazonaws.com    | -         | -     | https://s3-ap-south-1.amazonaws.com    | ap-south-1",
            "s3.amazonaws.com               | -         | -     | https://s3.amazonaws.com               | us-east-1",
            "minio.storage:9000             | -         | false | http://minio.storage:9000              | us-east-1",
            "minio.storage:9000             | -         | true  | https://minio.storage:9000             | us-east-1",
            "http://minio.storage:9000/     | eu-1      | -     | http://minio.storage:9000              | eu-1",
            "https://ceph.example.com:443   | -         | -     | https://ceph.example.com               | us-east-1",
            "HTTP://Ceph.example.com:80     | -         | -     | http://Ceph.example.com                | us-east-1"})
    void endpointAndRegionFollowS3aOptions(String endpoint, String region, String ssl, String base, String expectedRegion) {
        Map<String, String> conf = new HashMap<>();
        if (endpoint != null) {
            conf.put("spark.hadoop.fs.s3a.endpoint", endpoint);
        }
        if (region != null) {
            conf.put("spark.hadoop.fs.s3a.endpoint.region", region);
        }
        if (ssl != null) {
            conf.put("spark.hadoop.fs.s3a.connection.ssl.enabled", ssl);
        }
        S3Endpoint resolved = resolve(conf, Map.of());
        assertThat(resolved.base()).isEqualTo(URI.create(base));
        assertThat(resolved.region()).isEqualTo(expectedRegion);
    }

    @Test
    void objectsAreAddressedVirtualHostStyleUnlessPathStyleIsOn() {
        assertThat(resolve(Map.of(), Map.of()).objectUri("data", "up/a.jar"))
                .isEqualTo(URI.create("https://data.s3.us-east-1.amazonaws.com/up/a.jar"));
        assertThat(resolve(Map.of("spark.hadoop.fs.s3a.endpoint", "http://minio:9000", "spark.hadoop.fs.s3a.path.style.access", "true"), Map.of())
                .objectUri("data", "up/my%20file.jar")).isEqualTo(URI.create("http://minio:9000/data/up/my%20file.jar"));
    }

    @Test
    void perBucketOptionsWinAndAwsEnvironmentFillsIn() {
        Map<String, String> conf = Map.of("spark.hadoop.fs.s3a.endpoint.region", "eu-west-1",
                "spark.hadoop.fs.s3a.bucket.data.endpoint.region", "eu-north-1");
        assertThat(resolve(conf, Map.of()).region()).isEqualTo("eu-north-1");
        assertThat(resolve(Map.of(), Map.of("AWS_REGION", "sa-east-1")).region()).isEqualTo("sa-east-1");
        // Spark copies AWS_ENDPOINT_URL into fs.s3a.endpoint when both key variables are set, and only then
        Map<String, String> keys = Map.of("AWS_ACCESS_KEY_ID", "AK", "AWS_SECRET_ACCESS_KEY", "SK", "AWS_ENDPOINT_URL", "http://minio:9000");
        assertThat(resolve(Map.of(), keys).base()).isEqualTo(URI.create("http://minio:9000"));
        assertThat(resolve(Map.of(), Map.of("AWS_ENDPOINT_URL", "http://minio:9000")).base().getHost()).endsWith("amazonaws.com");
    }

    @Test
    void onlyTheDefaultAwsEndpointMovesToTheRegionS3Names() {
        S3Endpoint guessed = resolve(Map.of(), Map.of());
        assertThat(guessed.inRegion("eu-west-3").base()).isEqualTo(URI.create("https://s3.eu-west-3.amazonaws.com"));
        assertThat(guessed.inRegion("eu-west-3").region()).isEqualTo("eu-west-3");
        S3Endpoint configured = resolve(Map.of("spark.hadoop.fs.s3a.endpoint.region", "us-west-2"), Map.of());
        assertThat(configured.inRegion("eu-west-3")).isSameAs(configured);
        S3Endpoint custom = resolve(Map.of("spark.hadoop.fs.s3a.endpoint", "minio:9000"), Map.of());
        assertThat(custom.inRegion("eu-west-3")).isSameAs(custom);
    }

    @Test
    void aMalformedEndpointNamesItsKey() {
        assertThatThrownBy(() -> resolve(Map.of("spark.hadoop.fs.s3a.bucket.data.endpoint", "ftp://host"), Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.bucket.data.endpoint: 'ftp://host' is not an S3 endpoint");
    }
}
