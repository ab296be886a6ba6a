package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Records goldens: for each case directory, real Spark 4.1.1 {@code SparkSubmit} (child JVM) against a fresh mock
 * API server, then everything stored is written to driver-objects.json, then executor 1 is built by Spark's
 * executor builder in a second child JVM that sees what the driver container would see (executor-1.json).
 *
 * <p>Usage: {@code java -jar target/kspark-golden-recorder.jar <case dir or root dir>...}. A directory with a
 * {@code submit.args} file is a case; any other directory stands for all its subdirectories that are cases.
 */
public final class Recorder {

  static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(5);
  static final String SPARK_SUBMIT_CLASS = "org.apache.spark.deploy.SparkSubmit";
  static final String CASE_DIR_PLACEHOLDER = "@CASE_DIR@";

  private Recorder() {
  }

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: java -jar kspark-golden-recorder.jar <case dir or golden root>...");
      System.exit(2);
    }
    List<GoldenCase> cases = new ArrayList<>();
    for (String arg : args) {
      cases.addAll(findCases(Path.of(arg)));
    }
    if (cases.isEmpty()) {
      System.err.println("no case directories (with a submit.args file) in " + String.join(" ", args));
      System.exit(2);
    }
    for (GoldenCase goldenCase : cases) {
      long start = System.nanoTime();
      System.out.println("recording " + goldenCase.name() + " ...");
      record(goldenCase);
      System.out.printf("recorded %s in %.1f s%n", goldenCase.name(), (System.nanoTime() - start) / 1e9);
    }
    System.exit(0);
  }

  static List<GoldenCase> findCases(Path path) {
    if (GoldenCase.isCaseDir(path)) {
      return List.of(GoldenCase.load(path));
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException("not a directory: " + path);
    }
    try (Stream<Path> children = Files.list(path)) {
      return children.filter(GoldenCase::isCaseDir).sorted().map(GoldenCase::load).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void record(GoldenCase goldenCase) {
    try (MockApiServer server = new MockApiServer()) {
      ChildProcess.Result submit = runSparkSubmit(goldenCase, server, false);
      if (!submit.succeeded()) {
        throw new IllegalStateException("SparkSubmit failed for case " + goldenCase.name() + "\n" + submit.describe());
      }
      if (server.dispatcher().applyRequests().isEmpty()) {
        throw new IllegalStateException("SparkSubmit made no server-side apply request; is this Spark 4.1?\n"
            + submit.describe());
      }
      saveLog(goldenCase, "spark-submit", submit);
      GoldenJson.write(goldenCase.driverObjectsFile(), withCaseDirPlaceholder(goldenCase, server.dumpDriverObjects()));
      recordExecutor(goldenCase, server);
      GoldenJson.write(goldenCase.executorFile(),
          withCaseDirPlaceholder(goldenCase, GoldenJson.read(goldenCase.executorFile())));
    }
  }

  /**
   * Outputs name the case directory as {@code @CASE_DIR@}, like the inputs, so that goldens do not depend on where
   * the repository was when they were recorded (e.g. spark.kubernetes.driver.podTemplateFile in spark.properties).
   */
  static JsonNode withCaseDirPlaceholder(GoldenCase goldenCase, JsonNode recorded) {
    return GoldenJson.replaceInStrings(recorded, goldenCase.dir().toString(), CASE_DIR_PLACEHOLDER);
  }

  /** Child output goes to target/logs/ beside the recorder jar (git-ignored), for reading after a run. */
  static void saveLog(GoldenCase goldenCase, String what, ChildProcess.Result result) {
    try {
      Path jar = Path.of(Recorder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path logs = jar.getParent().resolve("logs");
      Files.createDirectories(logs);
      Files.writeString(logs.resolve(goldenCase.name() + "-" + what + ".log"), result.describe());
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      System.err.println("warning: cannot save the " + what + " log of " + goldenCase.name() + ": " + e);
    }
  }

  /**
   * Spark's SparkSubmit in a child JVM, as {@code bin/spark-submit} would start it, with the case's arguments and a
   * clean environment (PATH, JAVA_HOME, HOME, SPARK_USER=root, plus the case's env file). Working directory: a new
   * temporary directory.
   */
  static ChildProcess.Result runSparkSubmit(GoldenCase goldenCase, MockApiServer server, boolean measure) {
    Map<String, String> env = ChildProcess.baseEnvironment();
    env.put("SPARK_USER", "root");
    env.putAll(goldenCase.env(server.sparkMaster()));
    List<String> command = ChildProcess.sparkLauncherJvm(launcherClassPath(env));
    command.add(SPARK_SUBMIT_CLASS);
    command.addAll(goldenCase.args(server.sparkMaster()));
    return ChildProcess.run(command, env, newTempDir("kspark-golden-submit"), measure, SUBMIT_TIMEOUT);
  }

  /**
   * The class path Spark's launcher builds (AbstractCommandBuilder.buildClassPath): $SPARK_CONF_DIR first, then
   * Spark's jars (here: the recorder's class path), then $HADOOP_CONF_DIR and $YARN_CONF_DIR when set. Without
   * SPARK_CONF_DIR the launcher adds $SPARK_HOME/conf; there is no SPARK_HOME here.
   */
  static String launcherClassPath(Map<String, String> env) {
    List<String> entries = new ArrayList<>();
    if (env.containsKey("SPARK_CONF_DIR")) {
      entries.add(env.get("SPARK_CONF_DIR"));
    }
    entries.add(ChildProcess.ownClassPath());
    for (String var : List.of("HADOOP_CONF_DIR", "YARN_CONF_DIR")) {
      if (env.containsKey(var)) {
        entries.add(env.get(var));
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static void recordExecutor(GoldenCase goldenCase, MockApiServer server) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      DriverContainerMirror mirror = DriverContainerMirror.of(client);
      String propertiesFile = propertiesFileOf(mirror);
      List<String> command = ChildProcess.sparkLauncherJvm(ChildProcess.ownClassPath());
      command.add(ExecutorRecorder.class.getName());
      command.add(server.url());
      command.add(mirror.namespace());
      command.add(mirror.podName());
      command.add(propertiesFile);
      command.add(goldenCase.executorFile().toString());
      if (java.nio.file.Files.isRegularFile(goldenCase.resourceProfileFile())) {
        command.add(ExecutorRecorder.PROFILE_OPTION);
        command.add(goldenCase.resourceProfileFile().toAbsolutePath().toString());
        command.add(goldenCase.profileExecutorFile().toAbsolutePath().toString());
      }
      mirror.mirroredMounts().forEach((containerPath, local) -> command.add(containerPath + "=" + local));
      Map<String, String> env = new LinkedHashMap<>(ChildProcess.baseEnvironment());
      env.putAll(mirror.environment());
      ChildProcess.Result result = ChildProcess.run(command, env, newTempDir("kspark-golden-driver-cwd"), false,
          SUBMIT_TIMEOUT);
      saveLog(goldenCase, "executor", result);
      if (!result.succeeded()) {
        throw new IllegalStateException("executor recording failed for case " + goldenCase.name() + "\n"
            + result.describe());
      }
    }
  }

  /** The local copy of the file the driver's {@code --properties-file} names. */
  private static String propertiesFileOf(DriverContainerMirror mirror) {
    List<String> args = mirror.driverPod().getSpec().getContainers().stream()
        .filter(c -> c.getArgs() != null && !c.getArgs().isEmpty() && "driver".equals(c.getArgs().get(0)))
        .findFirst().orElseThrow().getArgs();
    int i = args.indexOf("--properties-file");
    if (i < 0 || i + 1 >= args.size()) {
      throw new IllegalStateException("driver args have no --properties-file: " + args);
    }
    Path local = mirror.local(args.get(i + 1));
    if (!Files.isRegularFile(local)) {
      throw new IllegalStateException("the driver's properties file " + args.get(i + 1)
          + " is not in a ConfigMap the driver container mounts");
    }
    return local.toString();
  }

  static Path newTempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
