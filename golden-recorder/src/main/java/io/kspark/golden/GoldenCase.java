package io.kspark.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One golden case directory: {@code submit.args} (one spark-submit argument per line), optional {@code env}
 * ({@code KEY=VALUE} lines), a one-line {@code description}, input files, and the recorded outputs
 * {@code driver-objects.json} and {@code executor-1.json}.
 *
 * <p>Placeholders in args and env values: {@code @MASTER@} = {@code k8s://http://127.0.0.1:<port>} of the mock API
 * server, {@code @CASE_DIR@} = the absolute path of the case directory. In {@code submit.args} every line is one
 * argument, kept as is (spaces, quotes); only a final empty line is ignored. Lines of {@code env} that are blank or
 * start with {@code #} are skipped.
 */
record GoldenCase(String name, Path dir, List<String> rawArgs, Map<String, String> rawEnv) {

  static final String ARGS_FILE = "submit.args";
  static final String ENV_FILE = "env";
  static final String DRIVER_OBJECTS_FILE = "driver-objects.json";
  static final String EXECUTOR_FILE = "executor-1.json";

  GoldenCase {
    rawArgs = List.copyOf(rawArgs);
    rawEnv = Collections.unmodifiableMap(new LinkedHashMap<>(rawEnv));
  }

  static boolean isCaseDir(Path dir) {
    return Files.isRegularFile(dir.resolve(ARGS_FILE));
  }

  static GoldenCase load(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    List<String> args = readLines(absolute.resolve(ARGS_FILE));
    while (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) {
      args.remove(args.size() - 1);
    }
    Map<String, String> env = new LinkedHashMap<>();
    Path envFile = absolute.resolve(ENV_FILE);
    if (Files.isRegularFile(envFile)) {
      for (String line : readLines(envFile)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(envFile + ": not KEY=VALUE: " + line);
        }
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new GoldenCase(absolute.getFileName().toString(), absolute, args, env);
  }

  /** The spark-submit arguments with the placeholders replaced. */
  List<String> args(String sparkMaster) {
    List<String> resolved = new ArrayList<>(rawArgs.size());
    rawArgs.forEach(arg -> resolved.add(substitute(arg, sparkMaster)));
    return resolved;
  }

  /** The case's extra environment with the placeholders replaced. */
  Map<String, String> env(String sparkMaster) {
    Map<String, String> resolved = new LinkedHashMap<>();
    rawEnv.forEach((k, v) -> resolved.put(k, substitute(v, sparkMaster)));
    return resolved;
  }

  Path driverObjectsFile() {
    return dir.resolve(DRIVER_OBJECTS_FILE);
  }

  /** Optional input: one resource profile (id 1) in the kspark allocator's annotation format. */
  Path resourceProfileFile() {
    return dir.resolve("resource-profile.json");
  }

  /** Output when {@link #resourceProfileFile()} exists: executor 2, of that profile. */
  Path profileExecutorFile() {
    return dir.resolve("executor-2-profile.json");
  }

  Path executorFile() {
    return dir.resolve(EXECUTOR_FILE);
  }

  private String substitute(String value, String sparkMaster) {
    return value.replace("@MASTER@", sparkMaster).replace("@CASE_DIR@", dir.toString());
  }

  private static List<String> readLines(Path file) {
    try {
      return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
