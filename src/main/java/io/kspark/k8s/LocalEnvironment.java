package io.kspark.k8s;

import io.kspark.conf.UserInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a pod builder may read from the machine it runs on: environment variables, the user name and
 * files. For the driver this is the submitter's machine; for executors it is the driver container's
 * environment, as Spark's executor builder runs inside the driver.
 */
public interface LocalEnvironment {

    Optional<String> getenv(String name);

    /** A variable set to more than blanks, trimmed (as the AWS SDK and Hadoop read theirs). */
    default Optional<String> getenvSet(String name) {
        return getenv(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Spark's current user: {@code SPARK_USER}, else the Hadoop/OS user. */
    String userName();

    byte[] readFile(String path);

    /** Regular files directly inside {@code dir}, sorted by name; empty when it is not a directory. */
    List<Path> listFiles(String dir);

    default String readText(String path) {
        return new String(readFile(path), StandardCharsets.UTF_8);
    }

    static LocalEnvironment system() {
        return new System(java.lang.System.getenv());
    }

    static LocalEnvironment of(Map<String, String> env) {
        return new System(env);
    }

    /** The real machine, with a given view of the environment variables. */
    record System(Map<String, String> env) implements LocalEnvironment {
        public System {
            env = Map.copyOf(env);
        }

        @Override
        public Optional<String> getenv(String name) {
            return Optional.ofNullable(env.get(name));
        }

        @Override
        public String userName() {
            return getenv("SPARK_USER")
                    .or(() -> getenv("HADOOP_USER_NAME"))
                    .orElseGet(() -> java.lang.System.getProperty("user.name", "root"));
        }

        @Override
        public byte[] readFile(String path) {
            try {
                return Files.readAllBytes(Path.of(path));
            } catch (IOException e) {
                throw new UserInputException("cannot read " + path + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }

        @Override
        public List<Path> listFiles(String dir) {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                return List.of();
            }
            try (Stream<Path> entries = Files.list(path)) {
                return entries.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new UserInputException("cannot list " + dir + ": " + e.getMessage());
            }
        }
    }
}
