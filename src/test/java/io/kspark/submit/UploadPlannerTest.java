package io.kspark.submit;

import org.junit.jupiter.params.ParameterizedTest;
import io.kspark.conf.UserInputException;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadPlannerTest {

    /** target, fragment, what Spark 4.1.1 writes into spark.archives */
    @ParameterizedTest(name = "{0} #{1} -> {2}")
    @CsvSource({
            "file:///up/spark-upload-1/env.tar.gz, env, file:/up/spark-upload-1/env.tar.gz#env",
            "file:///up/spark-upload-1/env.tar.gz,    , file:/up/spark-upload-1/env.tar.gz",
            "/up/spark-upload-1/env.tar.gz,        env, /up/spark-upload-1/env.tar.gz#env",
            "file://host/up/env.tar.gz,            env, file://host/up/env.tar.gz#env"})
    void uploadedArchivesAreWrittenAsSparkRebuildsThem(String target, String fragment, String expected) {
        assertThat(UploadPlanner.archiveUri(target, fragment)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/shared/up", "file:/shared/up", "file:///shared/up", "s3a://bucket/up", "s3a://bucket"})
    void uploadPathsKsparkCanWriteAreAccepted(String uploadPath) {
        assertThatCode(() -> UploadPlanner.checkUploadPath(uploadPath)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "hdfs://nn:8020/up|spark.kubernetes.file.upload.path: kspark can upload to file: paths (for example a shared volume mounted"
                    + " on this machine) and s3a:// buckets, not hdfs:",
            "s3a:///up|spark.kubernetes.file.upload.path: 's3a:///up' names no bucket",
            "bad path^|spark.kubernetes.file.upload.path: 'bad path^' is not a valid path or URI"})
    void otherUploadPathsExitTwoNamingTheKey(String uploadPath, String message) {
        assertThatThrownBy(() -> UploadPlanner.checkUploadPath(uploadPath)).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(message);
    }
}
