package io.kspark.reconciler.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetBodyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"target\": 0}        | 0",
            "{\"target\": 3}        | 3",
            "{ \"target\" : 12 , \"note\": \"ignored\" } | 12"})
    void aWholeNonNegativeNumberIsTheTarget(String body, int target) {
        assertThat(TargetBody.parse(body)).isEqualTo(target);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL                          | body must be {\"target\": <executors>}",
            "''                            | body must be {\"target\": <executors>}",
            "garbage                       | got invalid JSON",
            "target=3                      | got invalid JSON",
            "[3]                           | body must be {\"target\": <executors>}",
            "{}                            | body must be {\"target\": <executors>}",
            "{\"target\": null}            | body must be {\"target\": <executors>}",
            "{\"target\": \"3\"}           | target must be a whole number of executors, got \"3\"",
            "{\"target\": 1.5}             | target must be a whole number of executors, got 1.5",
            "{\"target\": 99999999999}     | target is too large: 99999999999",
            "{\"target\": -1}              | target must not be negative, got -1"})
    void anythingElseIsABadRequestThatSaysWhy(String body, String error) {
        assertThatThrownBy(() -> TargetBody.parse(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getResponse().getStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains(error);
        });
    }
}
