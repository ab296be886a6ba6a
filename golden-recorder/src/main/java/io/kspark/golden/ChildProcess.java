package io.kspark.golden;

import org.apache.spark.launcher.JavaModuleOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process with exactly the given environment (nothing inherited), stdout and stderr merged into a
 * file, optionally measured by {@code /usr/bin/time -f '%e %U %S %M'}.
 */
final class ChildProcess {

  static final String TIME_BINARY = "/usr/bin/time";

  private ChildProcess() {
  }

  /** Exit code, merged output, and (when measured) wall seconds, user and system CPU seconds, peak RSS in KiB. */
  record Result(List<String> command, int exitCode, String output, Measurement measurement) {
    boolean succeeded() {
      return exitCode == 0;
    }

    String describe() {
      return "command: " + String.join(" ", command) + "\nexit code: " + exitCode + "\noutput:\n" + output;
    }
  }

  record Measurement(double wallSeconds, double userSeconds, double systemSeconds, long maxRssKib) {
    double cpuSeconds() {
      return userSeconds + systemSeconds;
    }
  }

  /**
   * The JVM a Spark 4.1.1 launcher ({@code bin/spark-submit} in cluster mode) starts: {@code java -cp <class path>}
   * plus {@link JavaModuleOptions#defaultModuleOptionArray()} and {@code -Dderby.connection.requireAuthentication=false}
   * (no {@code -Xmx}: in cluster mode the launcher gives the submitting JVM none).
   */
  static List<String> sparkLauncherJvm(String classPath) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-cp");
    command.add(classPath);
    command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    command.add("-Dderby.connection.requireAuthentication=false");
    return command;
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The recorder's own class path, absolute (the jar whose manifest lists target/lib in Maven's order). */
  static String ownClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The fixed base environment of every child: PATH, JAVA_HOME and HOME; nothing else from the recorder's own
   * environment.
   */
  static Map<String, String> baseEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", System.getProperty("user.home"));
    return env;
  }

  static Result run(List<String> command, Map<String, String> env, Path workDir, boolean measure, Duration timeout) {
    List<String> full = new ArrayList<>();
    Path timeFile = null;
    try {
      if (measure) {
        timeFile = Files.createTempFile("kspark-golden-time", ".txt");
        full.addAll(List.of(TIME_BINARY, "-f", "%e %U %S %M", "-o", timeFile.toString()));
      }
      full.addAll(command);
      Path out = Files.createTempFile("kspark-golden-child", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile())
            .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor();
          throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", full) + "\n"
              + Files.readString(out, StandardCharsets.UTF_8));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Measurement measurement = measure ? parseTime(Files.readString(timeFile, StandardCharsets.UTF_8)) : null;
        return new Result(full, process.exitValue(), output, measurement);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", full), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      if (timeFile != null) {
        try {
          Files.deleteIfExists(timeFile);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /**
   * The last line of {@code /usr/bin/time -f '%e %U %S %M'} output (earlier lines may say "Command exited with
   * non-zero status").
   */
  private static Measurement parseTime(String text) {
    String[] lines = text.strip().split("\n");
    String[] parts = lines[lines.length - 1].trim().split("\\s+");
    if (parts.length != 4) {
      throw new IllegalStateException("unexpected /usr/bin/time output: " + text);
    }
    return new Measurement(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
        Long.parseLong(parts[3]));
  }
}
