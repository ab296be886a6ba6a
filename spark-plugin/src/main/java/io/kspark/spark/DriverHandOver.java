package io.kspark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a client-mode driver (one that runs in a pod kspark did not create, e.g. a notebook) publishes so that a kspark
 * reconciler can build its executors: the running driver's Spark conf as {@code spark.properties} in a ConfigMap owned
 * by the driver pod, and the driver pod's labels and annotations that name the application and that ConfigMap.
 *
 * <p>A cluster-mode driver pod needs none of this: it mounts its conf ConfigMap as volume
 * {@value #SPARK_CONF_VOLUME} and is labelled with its app id at creation.
 *
 * <p>
 * A class, not a record: the plugin also builds for Spark 3.5 images on Java 11.
 */
final class DriverHandOver {

    /** Driver pod annotation naming the ConfigMap with the driver's {@code spark.properties} (same namespace). */
    static final String SPARK_CONF_ANNOTATION = "kspark.io/spark-conf";
    /**
     * Driver pod annotation with the time the driver last said it is alive. A client-mode driver that dies leaves its
     * pod running (the notebook), so the pod cannot tell the reconciler; a heartbeat that stops can.
     */
    static final String HEARTBEAT_ANNOTATION = "kspark.io/driver-heartbeat";
    /** Driver pod annotation with the driver's Spark user; a submitted driver has it as env SPARK_USER instead. */
    static final String SPARK_USER_ANNOTATION = "kspark.io/spark-user";
    /** Label on that ConfigMap. */
    static final String ROLE_LABEL = "kspark.io/role";
    static final String ROLE_DRIVER_CONF = "driver-conf";
    /** The volume of a cluster-mode driver pod that holds its spark.properties (Spark's Constants). */
    static final String SPARK_CONF_VOLUME = "spark-conf-volume-driver";
    static final String PROPERTIES_KEY = "spark.properties";
    /** Spark's default spark.redaction.regex (4.x). */
    static final String DEFAULT_REDACTION = "(?i)secret|password|token|access[.]?key";

    /**
     * Keys that look secret by name but hold no secret, and that executors need: paths to spark.authenticate's secret
     * file, and references to Kubernetes Secrets (volumes, env from a Secret, the delegation-token Secret).
     */
    static final Set<String> SECRET_FILE_KEYS = Set.of(
            "spark.authenticate.secret.file", "spark.authenticate.secret.driver.file", "spark.authenticate.secret.executor.file");
    static final List<String> SECRET_REFERENCE_PREFIXES = List.of("spark.kubernetes.driver.secrets.", "spark.kubernetes.executor.secrets.",
            "spark.kubernetes.driver.secretKeyRef.", "spark.kubernetes.executor.secretKeyRef.", "spark.kubernetes.kerberos.tokenSecret.");

    /** kspark's per-application bookkeeping on the driver pod: a new application on the same pod starts afresh. */
    static final List<String> PER_APP_ANNOTATIONS = List.of(
            "kspark.io/last-executor-id", "kspark.io/executor-failures", "kspark.io/executor-failure-times",
            "kspark.io/counted-failures", "kspark.io/allocation-stopped");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAME_PREFIX = 200;

    /** True when the driver pod carries no Spark conf of its own, i.e. the driver was not started by a submission. */
    static boolean needed(Pod driverPod) {
        List<Volume> volumes = driverPod.getSpec() == null ? null : driverPod.getSpec().getVolumes();
        if (volumes == null) {
            return true;
        }
        return volumes.stream().noneMatch(v -> SPARK_CONF_VOLUME.equals(v.getName()) && v.getConfigMap() != null);
    }

    /**
     * @param conf       the running driver's conf ({@code SparkConf.getAll}), read at {@code start}
     * @param redaction  keys matching it are left out (Spark's {@code spark.redaction.regex}), but for the secret-file
     *                   paths and Secret references executors need
     * @param sparkUser  Spark's current user in the driver ({@code Utils.getCurrentUserName})
     */
    static DriverHandOver of(Pod driverPod, String appId, Map<String, String> conf, Pattern redaction, String sparkUser) {
        Map<String, String> published = publishedProperties(conf, appId, redaction);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(configMapName(appId));
        meta.setNamespace(driverPod.getMetadata().getNamespace());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("spark-app-selector", appId);
        labels.put(ROLE_LABEL, ROLE_DRIVER_CONF);
        meta.setLabels(labels);
        OwnerReference owner = new OwnerReference();
        owner.setApiVersion("v1");
        owner.setKind("Pod");
        owner.setName(driverPod.getMetadata().getName());
        owner.setUid(driverPod.getMetadata().getUid());
        owner.setController(true);
        meta.setOwnerReferences(Collections.singletonList(owner));
        ConfigMap configMap = new ConfigMap();
        configMap.setMetadata(meta);
        configMap.setImmutable(true);
        configMap.setData(Collections.singletonMap(PROPERTIES_KEY, propertiesText(published)));
        Set<String> leftOut = new TreeSet<>(conf.keySet());
        leftOut.removeAll(published.keySet());
        return new DriverHandOver(appId, configMap, sparkUser, leftOut);
    }

    private final String appId;
    private final ConfigMap configMap;
    private final String sparkUser;
    private final Set<String> leftOut;

    /**
     * @param appId     the application id Spark passes to {@code start}
     * @param configMap the ConfigMap to create
     * @param sparkUser the user the driver runs as (Spark's current user), which executors get as {@code SPARK_USER}
     * @param leftOut   the conf keys kept out of the ConfigMap as secrets (names only, to say so in the log)
     */
    private DriverHandOver(String appId, ConfigMap configMap, String sparkUser, Set<String> leftOut) {
        this.appId = appId;
        this.configMap = configMap;
        this.sparkUser = sparkUser;
        this.leftOut = Collections.unmodifiableSet(leftOut);
    }

    String appId() {
        return appId;
    }

    ConfigMap configMap() {
        return configMap;
    }

    String sparkUser() {
        return sparkUser;
    }

    Set<String> leftOut() {
        return leftOut;
    }

    /**
     * Everything but secrets, with the real application id (SparkContext sets spark.app.id only after start). Secrets
     * are found by key, as Spark's redaction finds them: a value that merely contains "token" (a host name, a pod name
     * prefix) is what executors need, and leaving it out would build them wrong.
     */
    static Map<String, String> publishedProperties(Map<String, String> conf, String appId, Pattern redaction) {
        Map<String, String> published = new TreeMap<>();
        conf.forEach((key, value) -> {
            if (!redaction.matcher(key).find() || SECRET_FILE_KEYS.contains(key) || SECRET_REFERENCE_PREFIXES.stream().anyMatch(key::startsWith)) {
                published.put(key, value);
            }
        });
        published.put("spark.app.id", appId);
        return published;
    }

    /** {@code <app id>-driver-conf}, with the app id made a DNS subdomain (Spark's ids already are). */
    static String configMapName(String appId) {
        String cleaned = appId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
        if (cleaned.length() > MAX_NAME_PREFIX) {
            cleaned = cleaned.substring(0, MAX_NAME_PREFIX);
        }
        cleaned = cleaned.replaceAll("^[.-]+|[.-]+$", "");
        return (cleaned.isEmpty() ? "spark" : cleaned) + "-driver-conf";
    }

    static Pattern redaction(String regex) {
        return Pattern.compile(regex == null ? DEFAULT_REDACTION : regex);
    }

    /**
     * The JSON merge patch that hands the driver pod to this application: its id and role labels, the ConfigMap
     * and Spark user annotations, the first heartbeat, the executor target and the non-default profiles' resources
     * ({@code null}: none yet, so what an earlier application left on the same pod is removed) and none of an earlier
     * application's bookkeeping.
     */
    String podPatch(String target, String profileResources, String heartbeat) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        ObjectNode labels = metadata.putObject("labels");
        labels.put("spark-app-selector", appId);
        labels.put("spark-role", "driver");
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put(SPARK_CONF_ANNOTATION, configMap.getMetadata().getName());
        annotations.put(SPARK_USER_ANNOTATION, sparkUser);
        annotations.put(HEARTBEAT_ANNOTATION, heartbeat);
        PER_APP_ANNOTATIONS.forEach(annotations::putNull);
        // An earlier application of this pod (another JVM) may have used the same profile ids for other resources.
        if (profileResources == null) {
            annotations.putNull(ProfileResources.ANNOTATION);
        } else {
            annotations.put(ProfileResources.ANNOTATION, profileResources);
        }
        if (target == null) {
            annotations.putNull(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION);
        } else {
            annotations.put(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION, target);
        }
        return patch.toString();
    }

    /** The patch a heartbeat writes: only its own annotation, so it never races the other writes. */
    static String heartbeatPatch(String heartbeat) {
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").putObject("annotations").put(HEARTBEAT_ANNOTATION, heartbeat);
        return patch.toString();
    }

    private static String propertiesText(Map<String, String> properties) {
        Properties props = new Properties();
        props.putAll(properties);
        StringWriter text = new StringWriter();
        try {
            props.store(text, "Spark conf of the running client-mode driver, published by the kspark allocator");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
