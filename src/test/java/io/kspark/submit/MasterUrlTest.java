package io.kspark.submit;

import io.kspark.conf.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterUrlTest {

    @ParameterizedTest
    @CsvSource({
            "k8s://https://api.example:6443, https://api.example:6443",
            "k8s://api.example:6443, https://api.example:6443",
            "k8s://http://127.0.0.1:8080, http://127.0.0.1:8080",
            "k8s://HTTPS://api.example, HTTPS://api.example"})
    void masterUrlsAreNormalisedLikeSparkSubmit(String master, String apiServer) {
        MasterUrl url = MasterUrl.parse("--master", master);
        assertThat(url.apiServer()).isEqualTo(apiServer);
        assertThat(url.sparkMaster()).isEqualTo("k8s://" + apiServer);
    }

    @Test
    void plainHttpIsAcceptedWithAWarning() {
        assertThat(MasterUrl.parse("--master", "k8s://http://localhost:8080").warning())
                .contains("Kubernetes master URL uses HTTP instead of HTTPS.");
        assertThat(MasterUrl.parse("--master", "k8s://https://localhost").warning()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yarn", "local[*]", "spark://host:7077", "k8s://", "k8s://ftp://host", "k8s://https://", "k8s://https://host:99999"})
    void nonKubernetesOrMalformedMastersAreRejectedNamingTheArgument(String master) {
        assertThatThrownBy(() -> MasterUrl.parse("--master", master))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("--master: ")
                .hasMessageNotContaining("\n");
    }
}
