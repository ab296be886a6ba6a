package io.kspark.submit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

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
}
