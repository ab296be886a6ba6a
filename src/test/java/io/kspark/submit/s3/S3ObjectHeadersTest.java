package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ObjectHeadersTest {

    static Map<String, String> headers(Map<String, String> conf) {
        return S3ObjectHeaders.of(new S3Options(SparkConf.of(conf), LocalEnvironment.of(Map.of()), Map.of(), "data"));
    }

    @Test
    void noOptionsNoHeaders() {
        assertThat(headers(Map.of())).isEmpty();
    }

    @Test
    void serverSideEncryptionMapsToS3Headers() {
        assertThat(headers(Map.of("spark.hadoop.fs.s3a.encryption.algorithm", "SSE-S3")))
                .containsExactly(Map.entry("x-amz-server-side-encryption", "AES256"));
        assertThat(headers(Map.of("spark.hadoop.fs.s3a.encryption.algorithm", "SSE-KMS", "spark.hadoop.fs.s3a.encryption.key", "arn:aws:kms:k")))
                .containsEntry("x-amz-server-side-encryption", "aws:kms")
                .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:k");
        assertThat(headers(Map.of("spark.hadoop.fs.s3a.server-side-encryption-algorithm", "DSSE-KMS")))
                .containsExactly(Map.entry("x-amz-server-side-encryption", "aws:kms:dsse"));
    }

    @Test
    void customerKeysSendTheKeyAndItsDigest() {
        String key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // base64 of 32 ASCII bytes "0123456789abcdef0123456789abcdef"
        assertThat(headers(Map.of("spark.hadoop.fs.s3a.encryption.algorithm", "SSE-C", "spark.hadoop.fs.s3a.encryption.key", key)))
                .containsEntry("x-amz-server-side-encryption-customer-algorithm", "AES256")
                .containsEntry("x-amz-server-side-encryption-customer-key", key)
                .containsEntry("x-amz-server-side-encryption-customer-key-md5", "hRasmdxgYDKV3nvbahU1MA==");
    }

    @Test
    void aclStorageClassAndRequesterPays() {
        assertThat(headers(Map.of("spark.hadoop.fs.s3a.acl.default", "BucketOwnerFullControl",
                "spark.hadoop.fs.s3a.create.storage.class", "intelligent_tiering", "spark.hadoop.fs.s3a.requester.pays.enabled", "TRUE")))
                .containsEntry("x-amz-acl", "bucket-owner-full-control")
                .containsEntry("x-amz-storage-class", "INTELLIGENT_TIERING")
                .containsEntry("x-amz-request-payer", "requester");
    }

    @Test
    void unsupportedValuesNameTheirKey() {
        assertThatThrownBy(() -> headers(Map.of("spark.hadoop.fs.s3a.bucket.data.encryption.algorithm", "CSE-KMS")))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.bucket.data.encryption.algorithm: kspark uploads with SSE-S3, SSE-KMS");
        assertThatThrownBy(() -> headers(Map.of("spark.hadoop.fs.s3a.encryption.algorithm", "SSE-C")))
                .hasMessageStartingWith("spark.hadoop.fs.s3a.encryption.key: SSE-C needs the base64 encoded key");
        assertThatThrownBy(() -> headers(Map.of("spark.hadoop.fs.s3a.acl.default", "bucket-owner-full-control")))
                .hasMessageStartingWith("spark.hadoop.fs.s3a.acl.default: 'bucket-owner-full-control' is not one of S3A's canned ACLs");
    }
}
