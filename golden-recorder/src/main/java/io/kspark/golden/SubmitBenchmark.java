package io.kspark.golden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Times one submission by kspark ({@code java -jar <quarkus-app>/quarkus-run.jar submit <args>}) against the same
 * submission by Spark 4.1.1's SparkSubmit (the child JVM of {@link Recorder}), alternating, against one mock API
 * server in this JVM that is reset before every run. Each process runs under {@code /usr/bin/time -f '%e %U %S %M'}
 * (wall, user CPU, system CPU, peak RSS); a run counts only if it exits 0 and the server then holds exactly one
 * driver pod. Prints every run, then medians and kspark/Spark ratios.
 *
 * <p>Usage: {@code java -cp target/kspark-golden-recorder.jar io.kspark.golden.SubmitBenchmark
 * <quarkus-app dir> <case dir> [rounds (10)] [warm-up rounds (1)] [launcher: jar (default) | script]}: {@code jar}
 * starts kspark as {@code java -jar quarkus-run.jar}, {@code script} as {@code <quarkus-app>/bin/kspark} (the JVM
 * launcher with its start-up settings and class-data archive). Both tools get the same clean environment
 * (PATH, JAVA_HOME, HOME = an empty temporary directory, so no kubeconfig, SPARK_USER=root, plus the case's env)
 * and the same {@code java}.
 */
public final class SubmitBenchmark {

  static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  enum Tool { KSPARK, SPARK }

  /** How kspark is started. */
  enum Launcher { JAR, SCRIPT }

  /**
   * One measured run; {@code firstRequestSeconds}/{@code lastRequestSeconds}: when the first and the last API request
   * reached the mock server, counted from just before the process was started.
   */
  record Run(Tool tool, int round, ChildProcess.Measurement measurement, double firstRequestSeconds,
      double lastRequestSeconds, int requests) {
  }

  private SubmitBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: SubmitBenchmark <quarkus-app dir> <case dir> [rounds] [warm-up rounds]");
      System.exit(2);
    }
    Path quarkusRunJar = Path.of(args[0]).toAbsolutePath().resolve("quarkus-run.jar");
    if (!Files.isRegularFile(quarkusRunJar)) {
      throw new IllegalArgumentException("no quarkus-run.jar in " + args[0]);
    }
    GoldenCase goldenCase = GoldenCase.load(Path.of(args[1]));
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Launcher launcher = args.length > 4 ? Launcher.valueOf(args[4].toUpperCase(Locale.ROOT)) : Launcher.JAR;
    Path home = Files.createTempDirectory("kspark-bench-home");

    System.out.printf("case %s, %d warm-up + %d measured rounds, kspark launcher %s, java %s (%s), %d processors%n",
        goldenCase.name(), warmUp, rounds, launcher, System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors());
    List<Run> runs = new ArrayList<>();
    try (MockApiServer server = new MockApiServer()) {
      for (int round = 1 - warmUp; round <= rounds; round++) {
        // alternate which tool goes first, so neither always runs right after the other
        List<Tool> order = Math.floorMod(round, 2) == 0 ? List.of(Tool.KSPARK, Tool.SPARK) : List.of(Tool.SPARK,
            Tool.KSPARK);
        for (Tool tool : order) {
          server.reset();
          long started = System.nanoTime();
          ChildProcess.Result result = run(tool, launcher, quarkusRunJar, goldenCase, server, home);
          List<ServerSideApplyCrudDispatcher.ServedRequest> requests = server.dispatcher().servedRequests();
          int drivers = server.get("/api/v1/pods?labelSelector=spark-role%3Ddriver").path("items").size();
          if (!result.succeeded() || drivers != 1) {
            throw new IllegalStateException(tool + " run " + round + " failed (driver pods: " + drivers + ")\n"
                + result.describe());
          }
          ChildProcess.Measurement m = result.measurement();
          double first = (requests.get(0).nanoTime() - started) / 1e9;
          double last = (requests.get(requests.size() - 1).nanoTime() - started) / 1e9;
          System.out.printf(Locale.ROOT, "%-8s %-7s wall %6.2f s  cpu %6.2f s (user %5.2f sys %5.2f)  rss %7.1f MiB"
                  + "  API requests %d, first at %5.2f s, last at %5.2f s%n",
              round <= 0 ? "warm-up" : "round " + round, tool.name().toLowerCase(Locale.ROOT), m.wallSeconds(),
              m.cpuSeconds(), m.userSeconds(), m.systemSeconds(), m.maxRssKib() / 1024.0, requests.size(), first, last);
          if (round > 0) {
            runs.add(new Run(tool, round, m, first, last, requests.size()));
          }
          if (round == 1) {
            requests.forEach(r -> System.out.printf(Locale.ROOT, "           %5.2f s  %s %s%n",
                (r.nanoTime() - started) / 1e9, r.method(), r.path()));
          }
        }
      }
    }
    printSummary(runs);
    System.exit(0);
  }

  static ChildProcess.Result run(Tool tool, Launcher launcher, Path quarkusRunJar, GoldenCase goldenCase,
      MockApiServer server, Path home) {
    Map<String, String> env = new LinkedHashMap<>(ChildProcess.baseEnvironment());
    env.put("HOME", home.toString());
    env.put("SPARK_USER", "root");
    env.putAll(goldenCase.env(server.sparkMaster()));
    List<String> command = new ArrayList<>();
    if (tool == Tool.KSPARK && launcher == Launcher.SCRIPT) {
      command.add(quarkusRunJar.resolveSibling("bin").resolve("kspark").toString());
      command.add("submit");
    } else if (tool == Tool.KSPARK) {
      command.add(ChildProcess.javaBinary());
      command.add("-jar");
      command.add(quarkusRunJar.toString());
      command.add("submit");
    } else {
      command.addAll(ChildProcess.sparkLauncherJvm(Recorder.launcherClassPath(env)));
      command.add(Recorder.SPARK_SUBMIT_CLASS);
    }
    command.addAll(goldenCase.args(server.sparkMaster()));
    return ChildProcess.run(command, env, Recorder.newTempDir("kspark-bench-cwd"), true, RUN_TIMEOUT);
  }

  static void printSummary(List<Run> runs) {
    System.out.println();
    System.out.println("| metric (median) | kspark | Spark 4.1.1 SparkSubmit | kspark / Spark |");
    System.out.println("|---|---|---|---|");
    row(runs, "wall time (s)", ChildProcess.Measurement::wallSeconds, "%.2f");
    row(runs, "CPU time user+sys (s)", ChildProcess.Measurement::cpuSeconds, "%.2f");
    row(runs, "peak RSS (MiB)", m -> m.maxRssKib() / 1024.0, "%.0f");
    System.out.println();
    System.out.println("| where the wall time goes (median) | kspark | Spark 4.1.1 SparkSubmit |");
    System.out.println("|---|---|---|");
    phase(runs, "process start to first API request (s)", Run::firstRequestSeconds);
    phase(runs, "first to last API request (s)", r -> r.lastRequestSeconds() - r.firstRequestSeconds());
    phase(runs, "last API request to process exit (s)", r -> r.measurement().wallSeconds() - r.lastRequestSeconds());
    phase(runs, "API requests", r -> r.requests());
    long count = runs.stream().filter(r -> r.tool() == Tool.KSPARK).count();
    System.out.printf("%nruns per tool: %d%n", count);
  }

  private static void phase(List<Run> runs, String name, ToDoubleFunction<Run> metric) {
    System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f |%n", name, medianOfRuns(runs, Tool.KSPARK, metric),
        medianOfRuns(runs, Tool.SPARK, metric));
  }

  private static void row(List<Run> runs, String name, ToDoubleFunction<ChildProcess.Measurement> metric,
      String format) {
    double kspark = median(runs, Tool.KSPARK, metric);
    double spark = median(runs, Tool.SPARK, metric);
    System.out.printf(Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f |%n", name, kspark, spark,
        kspark / spark);
  }

  static double median(List<Run> runs, Tool tool, ToDoubleFunction<ChildProcess.Measurement> metric) {
    return medianOfRuns(runs, tool, r -> metric.applyAsDouble(r.measurement()));
  }

  static double medianOfRuns(List<Run> runs, Tool tool, ToDoubleFunction<Run> metric) {
    double[] values = runs.stream().filter(r -> r.tool() == tool).mapToDouble(metric).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
}
