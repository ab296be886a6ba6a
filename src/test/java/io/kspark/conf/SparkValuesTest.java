package io.kspark.conf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparkValuesTest {

    @ParameterizedTest
    @CsvSource({
            "1g, 1024", "1G, 1024", "512m, 512", "512mb, 512", "2048k, 2", "1500k, 1", "1t, 1048576", "100, 100", "' 2g ', 2048"})
    void sizesAreReadInMebibytesAsSparkDoes(String text, long mib) {
        assertThat(SparkValues.mebibytes(text)).isEqualTo(mib);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5g", "abc", "1x", "", "-1g"})
    void invalidSizesAreRejected(String text) {
        assertThatThrownBy(() -> SparkValues.mebibytes(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"30s, 30000", "1s, 1000", "100ms, 100", "2m, 120000", "1h, 3600000", "500, 500", "1min, 60000"})
    void durationsAreReadInTheRequestedUnit(String text, long millis) {
        assertThat(SparkValues.timeAs(text, TimeUnit.MILLISECONDS)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x", "s", "1.5s"})
    void invalidDurationsAreRejected(String text) {
        assertThatThrownBy(() -> SparkValues.timeAs(text, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "false, false", "False, false"})
    void booleansAcceptOnlyTrueOrFalse(String text, boolean value) {
        assertThat(SparkValues.bool(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on"})
    void otherBooleanSpellingsAreRejected(String text) {
        assertThatThrownBy(() -> SparkValues.bool(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void confEntryErrorsNameTheKey() {
        SparkConf conf = SparkConf.of(java.util.Map.of("spark.driver.memory", "lots"));
        assertThatThrownBy(() -> conf.get(CoreKeys.DRIVER_MEMORY))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.driver.memory: ");
        SparkConf policy = SparkConf.of(java.util.Map.of("spark.kubernetes.container.image.pullPolicy", "Sometimes"));
        assertThatThrownBy(() -> policy.get(KubernetesKeys.IMAGE_PULL_POLICY))
                .hasMessage("spark.kubernetes.container.image.pullPolicy: must be one of Always, Never, IfNotPresent (was 'Sometimes')");
    }
}
