package io.kspark.submit;

import io.kspark.k8s.LocalEnvironment;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where spark-submit finds spark-defaults.conf: $SPARK_CONF_DIR, else $SPARK_HOME/conf. */
public final class SparkDefaults {

    private SparkDefaults() {
    }

    /** The file's absolute path, if it exists. */
    public static Optional<String> file(LocalEnvironment env) {
        return env.getenv("SPARK_CONF_DIR")
                .or(() -> env.getenv("SPARK_HOME").map(home -> home + File.separator + "conf"))
                .map(dir -> Path.of(dir, "spark-defaults.conf"))
                .filter(Files::isRegularFile)
                .map(p -> p.toAbsolutePath().toString());
    }
}
