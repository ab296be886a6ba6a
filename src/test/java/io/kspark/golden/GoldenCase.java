package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One recorded submission under {@code src/test/resources/golden/<name>/}: the spark-submit
 * arguments and environment it was recorded with, and what Spark 4.1.1 created for it (see
 * {@code golden-recorder/README.md}).
 */
record GoldenCase(String name, Path dir, List<String> rawArgs, Map<String, String> rawEnv, JsonNode driverObjects, JsonNode executorOne,
                  Optional<ProfileExecutor> profileExecutor) {

    /** A resource profile (kspark.io/resource-profiles format, id 1) and executor 2 as Spark built it for that profile. */
    record ProfileExecutor(String resourceProfiles, JsonNode executor) {
    }


    static final String MASTER = "@MASTER@";
    static final String CASE_DIR = "@CASE_DIR@";
    /** Where the cases are; -Dkspark.golden.dir points elsewhere (e.g. at freshly recorded ones). */
    static final Path ROOT = Path.of(System.getProperty("kspark.golden.dir", "src/test/resources/golden"));

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<GoldenCase> all() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("submit.args"))).sorted().map(GoldenCase::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenCase load(Path dir) {
        try {
            // One argument per line, kept verbatim (an empty line is an empty argument); a trailing empty line is ignored.
            List<String> args = new ArrayList<>(Files.readAllLines(dir.resolve("submit.args")));
            if (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) {
                args.remove(args.size() - 1);
            }
            Map<String, String> env = new LinkedHashMap<>();
            Path envFile = dir.resolve("env");
            if (Files.isRegularFile(envFile)) {
                for (String line : Files.readAllLines(envFile)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        env.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            Optional<ProfileExecutor> profileExecutor = Optional.empty();
            if (Files.isRegularFile(dir.resolve("resource-profile.json"))) {
                profileExecutor = Optional.of(new ProfileExecutor(Files.readString(dir.resolve("resource-profile.json")),
                        JSON.readTree(dir.resolve("executor-2-profile.json").toFile())));
            }
            return new GoldenCase(dir.getFileName().toString(), dir, args, env,
                    JSON.readTree(dir.resolve("driver-objects.json").toFile()), JSON.readTree(dir.resolve("executor-1.json").toFile()),
                    profileExecutor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden case " + dir, e);
        }
    }

    /** The master URL Spark was given (stored in the recorded spark.properties), so kspark gets the same. */
    String master() {
        for (JsonNode configMap : driverObjects.path("configmaps").path("items")) {
            JsonNode properties = configMap.path("data").path("spark.properties");
            if (properties.isTextual()) {
                Properties parsed = new Properties();
                try {
                    parsed.load(new java.io.StringReader(properties.asText()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                String master = parsed.getProperty("spark.master");
                if (master != null) {
                    return master;
                }
            }
        }
        throw new IllegalStateException(name + ": no spark.master in the recorded spark.properties");
    }

    /**
     * The pod IP the recording gave Spark's driver container (an input of the recording: Spark's
     * entrypoint passes it to executors as SPARK_DRIVER_POD_IP).
     */
    String driverPodIp() {
        for (JsonNode container : executorOne.path("pods").path("items").path(0).path("spec").path("containers")) {
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("SPARK_DRIVER_POD_IP")) {
                    return env.path("value").asText();
                }
            }
        }
        throw new IllegalStateException(name + ": the recorded executor has no SPARK_DRIVER_POD_IP");
    }

    /** The absolute case directory as kspark sees it now (the recording ran from another checkout). */
    String caseDir() {
        return dir.toAbsolutePath().toString();
    }

    List<String> args() {
        return rawArgs.stream().map(this::substitute).toList();
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_USER", "root");
        rawEnv.forEach((k, v) -> env.put(k, substitute(v)));
        return env;
    }

    private String substitute(String text) {
        return text.replace(MASTER, master()).replace(CASE_DIR, caseDir());
    }
}
