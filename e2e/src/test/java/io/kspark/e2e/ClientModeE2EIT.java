package io.kspark.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kspark end to end, no cluster: a notebook pod in fabric8's CRUD mock API server, exposed with {@code kspark expose};
 * real Spark 4.1.1 client-mode drivers (local JVMs) naming it as their driver pod, with the kspark allocator plugin;
 * the packaged kspark reconciler (sidecar or controller, its own JVM); executor pods run as local JVMs by
 * {@link ProcessKubelet}. One static application (SparkPi, a killed executor replaced), then a dynamic-allocation
 * application in the same notebook pod (scale up and down), then nothing is left.
 */
class ClientModeE2EIT {

    static final String NS = "e2e";
    static final String NOTEBOOK = "notebook-0";
    static final String NOTEBOOK_USER = "jovyan";
    static final Duration STARTUP = Duration.ofSeconds(90);
    static final Duration STEP = Duration.ofSeconds(60);

    /** Held: the mock server logs every request through java.util.logging at INFO. */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    KubernetesMockServer server;
    KubernetesClient client;
    ProcessKubelet kubelet;
    Path work;
    String master;
    final List<JvmProcess> processes = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ApiServerDefaults(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        master = "k8s://http://127.0.0.1:" + server.getPort();
        work = Files.createDirectories(Path.of(System.getProperty("kspark.e2e.work", "target/e2e-work"))
                .resolve(Long.toString(System.nanoTime())));
        Files.writeString(work.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = warn", "rootLogger.appenderRef.stderr.ref = console",
                "appender.console.type = Console", "appender.console.name = console", "appender.console.target = SYSTEM_ERR",
                "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n",
                "logger.kspark.name = io.kspark", "logger.kspark.level = info", ""));
        kubelet = new ProcessKubelet(client, NS, work.resolve("pods"), java(), sparkJars());
    }

    @AfterEach
    void stop() {
        processes.forEach(JvmProcess::close);
        if (kubelet != null) {
            kubelet.close();
        }
        client.close();
        server.destroy();
    }

    @ParameterizedTest(name = "reconciler: kspark {0}")
    @ValueSource(strings = {"sidecar", "controller"})
    void sparkPiThenDynamicAllocationInOneNotebookPod(String mode) throws Exception {
        try {
            run(mode);
        } catch (Throwable e) {
            Diagnostics.print(work, client, NS);
            throw e;
        }
    }

    private void run(String mode) throws Exception {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(NOTEBOOK).withNamespace(NS)
                .addToLabels("app", "jupyter").endMetadata()
                .withNewSpec().addNewContainer().withName("notebook").withImage("jupyter/pyspark-notebook").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus().build()).create();
        Map<String, String> exposed = expose(mode);
        JvmProcess reconciler = kspark(mode, mode.equals("sidecar")
                ? List.of("sidecar", "--master", master, "--driver-pod", NOTEBOOK, "-n", NS)
                : List.of("controller", "--master", master, "-n", NS));

        // 1. A static application: SparkPi on two executors kspark creates, authenticated with Spark's file-based secret
        //    (driver and executors read the same file; no secret passes through kspark or the pods). Spark's executors
        //    only read the file when their conf names a k8s master, which Spark does not pass them (and refuses in
        //    extraJavaOptions): an extra SPARK_JAVA_OPT_ in their env does.
        Path secret = Files.writeString(work.resolve("spark-auth-secret"), "e2e-" + System.nanoTime());
        JvmProcess pi = driver("notebook-pi", exposed, Map.of("spark.executor.instances", "2",
                "spark.authenticate", "true", "spark.authenticate.secret.file", secret.toString(),
                "spark.executorEnv.SPARK_JAVA_OPT_99", "-Dspark.master=" + master));
        String piApp = appId(pi);
        await().atMost(STEP).until(() -> runningExecutors(piApp).size() == 2);
        assertThat(executorPods()).allSatisfy(p -> {
            List<String> env = p.getSpec().getContainers().get(0).getEnv().stream().map(e -> e.getName() + "=" + e.getValue()).toList();
            assertThat(env).contains("SPARK_USER=" + NOTEBOOK_USER).noneMatch(e -> e.startsWith("_SPARK_AUTH_SECRET"))
                    .anyMatch(e -> e.endsWith("=-Dspark.authenticate.secret.file=" + secret));
        });
        pi.send("pi 4");
        String result = pi.awaitLine(l -> l.startsWith("Pi is roughly"), STEP);
        assertThat(Double.parseDouble(result.substring("Pi is roughly ".length()))).isBetween(3.0, 3.3);

        // 2. An executor process dies: kspark replaces it with a new id, Spark uses it.
        Pod victim = executorWithId(piApp, "1");
        kubelet.process(victim.getMetadata().getName()).orElseThrow().destroyForcibly();
        await().atMost(STEP).until(() -> executorIds(piApp).equals(Set.of("2", "3")) && runningExecutors(piApp).size() == 2
                && pi.lines().contains("EXECUTOR_ADDED 3"));
        assertThat(annotation(KsparkKeys.LAST_EXECUTOR_ID)).isEqualTo("3");
        pi.send("pi 2");
        await().atMost(STEP).until(() -> pi.lines().stream().filter(l -> l.startsWith("Pi is roughly")).count() == 2);
        pi.send("stop");
        pi.awaitLine("STOPPED"::equals, STEP);
        assertThat(pi.awaitExit(STEP)).contains(0);
        await().atMost(STEP).until(() -> executorPods().isEmpty());
        assertThat(annotation(KsparkKeys.EXECUTOR_TARGET)).isEqualTo("0");

        // 3. The next application in the same pod, with dynamic allocation: up to 2 for a backlog, down to 0 when idle.
        Path gate = work.resolve("gate");
        JvmProcess dynamic = driver("notebook-dyn", exposed, Map.of(
                "spark.dynamicAllocation.enabled", "true", "spark.dynamicAllocation.shuffleTracking.enabled", "true",
                "spark.dynamicAllocation.minExecutors", "0", "spark.dynamicAllocation.initialExecutors", "0",
                "spark.dynamicAllocation.maxExecutors", "2", "spark.dynamicAllocation.schedulerBacklogTimeout", "1s",
                "spark.dynamicAllocation.sustainedSchedulerBacklogTimeout", "1s", "spark.dynamicAllocation.executorIdleTimeout", "3s"));
        String dynApp = appId(dynamic);
        assertThat(dynApp).isNotEqualTo(piApp);
        await().atMost(STEP).until(() -> dynApp.equals(notebook().getMetadata().getLabels().get("spark-app-selector")));
        assertThat(executorPods()).isEmpty();
        dynamic.send("gated 4 " + gate);
        await().atMost(STEP).until(() -> "2".equals(annotation(KsparkKeys.EXECUTOR_TARGET)) && runningExecutors(dynApp).size() == 2
                && dynamic.lines().stream().filter(l -> l.startsWith("EXECUTOR_ADDED")).count() == 2);
        Files.createFile(gate);
        dynamic.awaitLine("JOB_DONE 4"::equals, STEP);
        await().atMost(STEP).until(() -> "0".equals(annotation(KsparkKeys.EXECUTOR_TARGET)) && executorPods().isEmpty()
                && dynamic.lines().stream().filter(l -> l.startsWith("EXECUTOR_REMOVED")).distinct().count() == 2);
        // Spark killed its idle executors itself; kspark did not create new ones.
        assertThat(annotation(KsparkKeys.LAST_EXECUTOR_ID)).isEqualTo("2");

        // Stage-level scheduling: a stage of its own resource profile gets an executor sized by that profile.
        dynamic.send("profiled 2");
        String profile = dynamic.awaitLine(l -> l.startsWith("PROFILE "), STEP).substring("PROFILE ".length());
        dynamic.awaitLine("JOB_DONE 2"::equals, STEP);
        Pod profiled = executorPods().stream().filter(p -> profile.equals(p.getMetadata().getLabels().get("spark-exec-resourceprofile-id")))
                .findFirst().orElseThrow(() -> new AssertionError("no executor of resource profile " + profile + ": " + executorPods()));
        var container = profiled.getSpec().getContainers().get(0);
        // 640 MiB heap (the default profile has 512) + the default profile's overhead (384 MiB), as Spark's executor builder sizes it.
        assertThat(container.getResources().getRequests().get("memory")).hasToString("1024Mi");
        assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("SPARK_EXECUTOR_MEMORY=640m"));
        assertThat(annotation("kspark.io/resource-profiles")).contains("\"" + profile + "\"");
        dynamic.send("stop");
        dynamic.awaitLine("STOPPED"::equals, STEP);
        assertThat(dynamic.awaitExit(STEP)).contains(0);

        // 4. A kernel killed mid-application never calls stop(): its heartbeat stops, and kspark removes its executors.
        JvmProcess crashing = driver("notebook-crash", exposed, Map.of("spark.executor.instances", "1",
                "spark.kspark.driver.heartbeatInterval", "1s"));
        String crashApp = appId(crashing);
        await().atMost(STEP).until(() -> runningExecutors(crashApp).size() == 1);
        crashing.kill();
        await().atMost(STEP).until(() -> executorPods().isEmpty());
        await().during(Duration.ofSeconds(3)).atMost(STEP).until(() -> executorPods().isEmpty());

        // 5. Nothing is left; the notebook ends, and with it a sidecar.
        assertThat(executorPods()).isEmpty();
        assertThat(kubelet.runningPods()).isEmpty();
        if (mode.equals("sidecar")) {
            client.pods().inNamespace(NS).withName(NOTEBOOK).editStatus(p -> new PodBuilder(p).editStatus().withPhase("Succeeded").endStatus().build());
            assertThat(reconciler.awaitExit(STEP)).contains(0);
        }
    }

    /** {@code kspark expose}: the Service for the notebook, and the conf it prints. */
    private Map<String, String> expose(String mode) throws IOException {
        JvmProcess expose = kspark("expose", List.of("expose", "--master", master, "--pod", NOTEBOOK, "-n", NS, "--reconciler", mode,
                "--driver-port", Integer.toString(freePort()), "--block-manager-port", Integer.toString(freePort()), "-o", "properties"));
        assertThat(expose.awaitExit(STARTUP)).contains(0);
        assertThat(client.services().inNamespace(NS).withName(NOTEBOOK + "-svc").get()).isNotNull();
        return expose.lines().stream().filter(l -> l.contains("=")).map(l -> l.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b, LinkedHashMap::new));
    }

    /** The packaged kspark (the real launcher) in its own JVM. */
    private JvmProcess kspark(String name, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-Dquarkus.http.port=0", "-Dquarkus.log.level=INFO",
                "-Dkspark.reconciler.poll-interval=5s", "-jar", System.getProperty("kspark.app")));
        command.addAll(args);
        return track(JvmProcess.start("kspark-" + name, command, work));
    }

    /** A Spark 4.1.1 driver in client mode (spark-submit's own code path), its driver pod being the notebook. */
    private JvmProcess driver(String name, Map<String, String> exposed, Map<String, String> appConf) {
        Map<String, String> conf = new LinkedHashMap<>(exposed);
        // The driver runs on this machine, which plays the notebook pod (pod IP 127.0.0.1).
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.kubernetes.container.image", "apache/spark:4.1.1");
        conf.put("spark.executor.memory", "512m");
        conf.put("spark.executor.cores", "1");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.kubernetes.allocation.batch.delay", "500ms");
        conf.put("spark.kubernetes.executor.apiPollingInterval", "5s");
        conf.put("spark.executor.extraJavaOptions", "-Dlog4j2.configurationFile=" + work.resolve("log4j2.properties").toUri());
        conf.putAll(appConf);
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        command.addAll(List.of("-Xmx768m", "-Dlog4j2.configurationFile=" + work.resolve("log4j2.properties").toUri(),
                "-cp", String.join(java.io.File.pathSeparator, sparkJars()), "org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--deploy-mode", "client", "--name", name, "--class", "io.kspark.e2e.app.NotebookDriver",
                "--jars", Path.of(System.getProperty("kspark.plugin.jar")).toUri().toString()));
        conf.forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
        command.add(Path.of(System.getProperty("kspark.e2e.app.jar")).toUri().toString());
        // Spark's current user in the driver; executors must run as the same user.
        return track(JvmProcess.start(name, command, work, Map.of("SPARK_USER", NOTEBOOK_USER)));
    }

    private static String appId(JvmProcess driver) {
        return driver.awaitLine(l -> l.startsWith("READY "), STARTUP).substring("READY ".length());
    }

    private JvmProcess track(JvmProcess process) {
        processes.add(process);
        return process;
    }

    private List<Pod> executorPods() {
        return client.pods().inNamespace(NS).withLabel("spark-role", "executor").list().getItems();
    }

    private List<Pod> runningExecutors(String appId) {
        return executorPods().stream().filter(p -> appId.equals(p.getMetadata().getLabels().get("spark-app-selector")))
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                        && kubelet.runningPods().contains(p.getMetadata().getName()))
                .toList();
    }

    private Set<String> executorIds(String appId) {
        return executorPods().stream().filter(p -> appId.equals(p.getMetadata().getLabels().get("spark-app-selector")))
                .map(p -> p.getMetadata().getLabels().get("spark-exec-id")).collect(Collectors.toSet());
    }

    private Pod executorWithId(String appId, String id) {
        return executorPods().stream().filter(p -> appId.equals(p.getMetadata().getLabels().get("spark-app-selector"))
                && id.equals(p.getMetadata().getLabels().get("spark-exec-id"))).findFirst().orElseThrow();
    }

    private Pod notebook() {
        return client.pods().inNamespace(NS).withName(NOTEBOOK).get();
    }

    private String annotation(String key) {
        Map<String, String> annotations = notebook().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> sparkJars() {
        try {
            return Stream.of(Files.readString(Path.of(System.getProperty("kspark.e2e.spark.classpath"))).trim()
                    .split(java.io.File.pathSeparator)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
