package io.kspark.submit.s3;

import io.kspark.conf.UserInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3UriTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "s3a://bucket/up/spark-upload-1/app.jar|bucket|up/spark-upload-1/app.jar",
            "s3a://bucket//up//spark-upload-1/my file.txt|bucket|up/spark-upload-1/my file.txt",
            "s3a://bucket|bucket|''",
            "S3A://Bucket.With.Dots/x|Bucket.With.Dots|x"})
    void splitsBucketAndKeyAsHadoopPathsDo(String uri, String bucket, String key) {
        assertThat(S3Uri.parse(uri)).isEqualTo(new S3Uri(bucket, key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3a:///up", "s3a://"})
    void aUriWithoutBucketNamesTheUploadPathKey(String uri) {
        assertThatThrownBy(() -> S3Uri.parse(uri)).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.kubernetes.file.upload.path: '" + uri + "' names no bucket");
    }
}
