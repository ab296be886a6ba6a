package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.PropertiesFiles;
import io.kspark.conf.SparkConf;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds an application's {@link ExecutorContext} from its driver pod and the driver's ConfigMap,
 * which is what Spark's executor builder sees inside the driver. The reconciler and the dry-run
 * preview of executor 1 both start here.
 */
public final class ExecutorContexts {

    public static final String DRIVER_CONTAINER = "spark-kubernetes-driver";
    public static final String PROPERTIES_KEY = "spark.properties";
    /** Spark's image entrypoint hands the driver pod's IP to executors under this name. */
    public static final String DRIVER_POD_IP_ENV = "SPARK_DRIVER_POD_IP";
    /** Stands in for the driver pod's IP before the pod has one (dry runs). */
    public static final String UNKNOWN_DRIVER_POD_IP = "<driver pod IP>";
    /** On a client-mode driver pod: the driver's Spark user, published by the kspark allocator plugin. */
    public static final String SPARK_USER_ANNOTATION = "kspark.io/spark-user";

    private ExecutorContexts() {
    }

    /**
     * @param driverPod             the driver pod (as created, or as built for a dry run)
     * @param driverConfigMap       the driver's {@code spark-drv-*-conf-map}
     * @param podTemplateConfigMap  the driver's pod-template ConfigMap, when executors use a template
     * @param naming                the names the driver picks once for its executors
     * @param authSecret            the driver's authentication secret, when spark.authenticate is on
     */
    public static ExecutorContext fromDriver(Pod driverPod, ConfigMap driverConfigMap, Optional<ConfigMap> podTemplateConfigMap,
                                             ExecutorNaming naming, Optional<String> authSecret) {
        Map<String, String> data = driverConfigMap.getData() == null ? Map.of() : driverConfigMap.getData();
        SparkConf conf = asStartedByEntrypoint(SparkConf.of(PropertiesFiles.parse(data.getOrDefault(PROPERTIES_KEY, ""))), driverPod);
        if (!conf.contains(KubernetesKeys.EXECUTOR_POD_NAME_PREFIX)) {
            // As Spark's driver does at start: one prefix, from the app name, for all executors.
            conf = conf.set(KubernetesKeys.EXECUTOR_POD_NAME_PREFIX.key(),
                    Names.resourceNamePrefix(conf.get("spark.app.name", "spark"), naming.prefixUniqueId()));
        }
        Map<String, String> driverEnv = literalEnv(sparkContainer(driverPod, conf));
        List<String> confFiles = data.keySet().stream()
                .filter(k -> !k.equals(PROPERTIES_KEY) && !k.equals(KubernetesKeys.NAMESPACE.key()))
                .sorted()
                .toList();
        Optional<Pod> template = podTemplateConfigMap
                .map(cm -> cm.getData() == null ? null : cm.getData().get(io.kspark.k8s.steps.PodTemplateConfigMapStep.KEY))
                .map(text -> PodTemplates.parse(KubernetesKeys.EXECUTOR_POD_TEMPLATE_FILE.key(), text));
        String appId = conf.getOption(CoreKeys.APP_ID).orElseGet(() -> driverPod.getMetadata().getLabels().get("spark-app-selector"));
        String user = sparkUser(driverPod, driverEnv);
        return new ExecutorContext(conf, appId, Optional.of(driverPod), driverEnv, user, naming.configMapName(), confFiles,
                template, conf.get(CoreKeys.AUTHENTICATE) ? authSecret : Optional.empty(), naming.defaultLocalDir());
    }

    /**
     * The user the driver runs as, which Spark's executor builder passes on as {@code SPARK_USER}: what the kspark
     * plugin published for a client-mode driver, else the submitted driver container's {@code SPARK_USER}.
     */
    static String sparkUser(Pod driverPod, Map<String, String> driverEnv) {
        return Optional.ofNullable(driverPod.getMetadata().getAnnotations()).map(a -> a.get(SPARK_USER_ANNOTATION))
                .filter(user -> !user.isBlank())
                .orElseGet(() -> driverEnv.getOrDefault("SPARK_USER", "root"));
    }

    /**
     * Spark's image entrypoint starts a submitted driver in client mode with {@code spark.driver.bindAddress} and
     * {@code spark.executorEnv.SPARK_DRIVER_POD_IP} set to the pod's IP (from the downward API), so
     * every executor the running driver builds carries them; kspark reads the IP from the pod status. The
     * SparkContext then adds {@code spark.executor.id=driver}: no executor reads it, but Spark orders the executor's
     * Java options by its conf's hash table, whose size depends on how many entries there are.
     */
    static SparkConf asStartedByEntrypoint(SparkConf conf, Pod driverPod) {
        if (!conf.get(KubernetesKeys.SUBMIT_IN_DRIVER)) {
            return conf; // a client-mode driver (e.g. in a notebook pod) was not started by Spark's entrypoint
        }
        String podIp = driverPodIp(driverPod).orElse(UNKNOWN_DRIVER_POD_IP);
        SparkConf started = conf.set(CoreKeys.DRIVER_BIND_ADDRESS, podIp).set(CoreKeys.EXECUTOR_ENV_PREFIX + DRIVER_POD_IP_ENV, podIp)
                .set(CoreKeys.DEPLOY_MODE, "client").set("spark.executor.id", "driver")
                .set("spark.app.startTime", Long.toString(startTime(driverPod)))
                .setIfMissing("spark.hadoop.fs.s3a.vectored.read.min.seek.size", "128K")
                .setIfMissing("spark.hadoop.fs.s3a.vectored.read.max.merged.size", "2M");
        // SparkContext puts the JDK module options (and the IPv6 preference) in front of the Java options of the driver
        // and its executors: a Spark 4 executor on JDK 17 cannot start without them.
        for (String key : List.of(CoreKeys.DRIVER_JAVA_OPTIONS, CoreKeys.EXECUTOR_JAVA_OPTIONS)) {
            String withModules = (SPARK_MODULE_OPTIONS + " " + started.get(key, "")).trim();
            started = started.set(key, ("-Djava.net.preferIPv6Addresses=false " + withModules).trim());
        }
        // Without the driver Service step nothing sets spark.driver.host, and the driver takes its own host name
        // (Utils.localCanonicalHostName); the pod's IP is the address of that host that executors can reach.
        return started.contains(CoreKeys.DRIVER_HOST) ? started : started.set(CoreKeys.DRIVER_HOST, podIp);
    }

    /** Spark 4.1.1's {@code JavaModuleOptions.defaultModuleOptions()}, which SparkContext adds to every JVM it starts. */
    static final String SPARK_MODULE_OPTIONS = String.join(" ", "-XX:+IgnoreUnrecognizedVMOptions", "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true", "-Dio.netty.allocator.type=pooled",
            "-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE", "--enable-native-access=ALL-UNNAMED");

    /** When the driver started, as near as the pod says (no executor reads it; it only counts as a conf entry). */
    private static long startTime(Pod driverPod) {
        String at = Optional.ofNullable(driverPod.getStatus()).map(s -> s.getStartTime())
                .orElse(driverPod.getMetadata().getCreationTimestamp());
        try {
            return at == null ? 0 : Instant.parse(at).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    public static Optional<String> driverPodIp(Pod driverPod) {
        return Optional.ofNullable(driverPod.getStatus()).map(status -> status.getPodIP()).filter(ip -> !ip.isEmpty());
    }

    /** The driver's Spark container: by template container name, else Spark's default name, else the last one. */
    static Container sparkContainer(Pod driverPod, SparkConf conf) {
        List<Container> containers = driverPod.getSpec().getContainers();
        String wanted = conf.getOptional(KubernetesKeys.DRIVER_POD_TEMPLATE_CONTAINER).orElse(DRIVER_CONTAINER);
        return containers.stream().filter(c -> wanted.equals(c.getName())).findFirst()
                .or(() -> containers.stream().filter(c -> DRIVER_CONTAINER.equals(c.getName())).findFirst())
                .orElse(containers.get(containers.size() - 1));
    }

    private static Map<String, String> literalEnv(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                if (var.getValue() != null) {
                    env.put(var.getName(), var.getValue());
                }
            }
        }
        return env;
    }
}
