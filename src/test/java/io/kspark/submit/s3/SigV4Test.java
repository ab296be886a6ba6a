package io.kspark.submit.s3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SigV4Test {

    /** AWS's published example keys (S3 API reference, "Signature Calculations for the Authorization Header"). */
    static final S3Credentials EXAMPLE = S3Credentials.signed("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Optional.empty());
    static final Instant EXAMPLE_DATE = Instant.parse("2013-05-24T00:00:00Z");

    @Test
    void signsAwsDocumentedGetObjectExampleToItsPublishedSignature() {
        SortedMap<String, String> headers = SigV4.sign("GET", "/test.txt",
                Map.of("Host", "examplebucket.s3.amazonaws.com", "Range", "bytes=0-9"), SigV4.EMPTY_PAYLOAD, EXAMPLE, "us-east-1", EXAMPLE_DATE);

        assertThat(headers.get("authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(headers).containsEntry("x-amz-date", "20130524T000000Z")
                .containsEntry("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void canonicalRequestOfTheExampleHashesToThePublishedValue() {
        SortedMap<String, String> headers = new TreeMap<>(Map.of("host", "examplebucket.s3.amazonaws.com", "range", "bytes=0-9",
                "x-amz-content-sha256", SigV4.EMPTY_PAYLOAD, "x-amz-date", "20130524T000000Z"));
        String request = SigV4.canonicalRequest("GET", "/test.txt", headers, SigV4.EMPTY_PAYLOAD);
        assertThat(SigV4.sha256Hex(request.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    }

    @Test
    void aSessionTokenIsSentAndSigned() {
        S3Credentials temporary = S3Credentials.signed(EXAMPLE.accessKey(), EXAMPLE.secretKey(), Optional.of("token-1"));
        SortedMap<String, String> headers = SigV4.sign("PUT", "/k", Map.of("host", "h"), SigV4.EMPTY_PAYLOAD, temporary, "eu-west-1", EXAMPLE_DATE);
        assertThat(headers).containsEntry("x-amz-security-token", "token-1");
        assertThat(headers.get("authorization")).contains("/20130524/eu-west-1/s3/aws4_request,")
                .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
    }

    @Test
    void anonymousRequestsCarryNoAuthorization() {
        SortedMap<String, String> headers = SigV4.sign("PUT", "/k", Map.of("host", "h"), SigV4.EMPTY_PAYLOAD, S3Credentials.none(), "us-east-1",
                EXAMPLE_DATE);
        assertThat(headers).doesNotContainKey("authorization").containsKeys("x-amz-date", "x-amz-content-sha256");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "up/spark-upload-1/app.jar|up/spark-upload-1/app.jar",
            "up/my file.txt|up/my%20file.txt",
            "a+b=c&d/ü~x_y-z.zip|a%2Bb%3Dc%26d/%C3%BC~x_y-z.zip"})
    void objectKeysAreEncodedOnceKeepingSlashes(String key, String encoded) {
        assertThat(SigV4.encodePath(key)).isEqualTo(encoded);
    }
}
