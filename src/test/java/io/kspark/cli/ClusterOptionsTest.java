package io.kspark.cli;

import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** spark-submit's order for --status/--kill: --master, spark.master (conf, properties file, defaults), $MASTER, kubeconfig. */
class ClusterOptionsTest {

    @TempDir
    Path confDir;

    ClusterOptions options(String master, List<String> conf, String propertiesFile, Map<String, String> env) {
        ClusterOptions options = ClusterOptions.of(master, conf, propertiesFile);
        options.env = LocalEnvironment.of(env);
        return options;
    }

    @Test
    void theMasterIsTakenFromTheFirstSourceThatHasOne() throws IOException {
        Files.writeString(confDir.resolve("spark-defaults.conf"), "spark.master k8s://https://defaults:6443\n"
                + "spark.kubernetes.appKillPodDeletionGracePeriod 9\n");
        Map<String, String> env = Map.of("SPARK_CONF_DIR", confDir.toString(), "MASTER", "k8s://https://env:6443");

        assertThat(options("k8s://https://flag:6443", List.of("spark.master=k8s://https://conf:6443"), null, env).apiServer())
                .hasValue("https://flag:6443");
        assertThat(options(null, List.of("spark.master=k8s://https://conf:6443"), null, env).apiServer()).hasValue("https://conf:6443");
        assertThat(options(null, List.of(), null, env).apiServer()).hasValue("https://defaults:6443");
        assertThat(options(null, List.of(), null, env).sparkConf().getOption("spark.kubernetes.appKillPodDeletionGracePeriod")).hasValue("9");
        assertThat(options(null, List.of(), null, Map.of("MASTER", "k8s://env:6443")).apiServer()).hasValue("https://env:6443");
        assertThat(options(null, List.of(), null, Map.of()).apiServer()).as("the kubeconfig's cluster").isEmpty();
    }

    @Test
    void aPropertiesFileReplacesSparkDefaultsAsInSparkSubmit() throws IOException {
        Files.writeString(confDir.resolve("spark-defaults.conf"), "spark.master k8s://https://defaults:6443\n");
        Path file = Files.writeString(confDir.resolve("app.conf"), "spark.kubernetes.context prod\n");

        ClusterOptions options = options(null, List.of(), file.toString(), Map.of("SPARK_CONF_DIR", confDir.toString()));

        assertThat(options.apiServer()).isEmpty();
        assertThat(options.sparkConf().getOption("spark.kubernetes.context")).hasValue("prod");
    }

    @Test
    void aMasterThatIsNotKubernetesNamesWhereItCameFrom() {
        assertThatThrownBy(() -> options(null, List.of("spark.master=yarn"), null, Map.of()).apiServer())
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("spark.master");
        assertThatThrownBy(() -> options(null, List.of(), null, Map.of("MASTER", "local[*]")).apiServer())
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("MASTER");
    }
}
