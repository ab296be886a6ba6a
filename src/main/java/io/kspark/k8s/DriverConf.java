package io.kspark.k8s;

import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the driver's feature steps need, fixed once per submission: the resolved conf, the
 * generated ids and names, the application command and the submitter's environment.
 */
public record DriverConf(SparkConf conf,
                         String appId,
                         String resourceNamePrefix,
                         String driverServiceName,
                         MainResource mainResource,
                         String mainClass,
                         List<String> appArgs,
                         Optional<String> proxyUser,
                         String defaultLocalDir,
                         LocalEnvironment env) implements PodConf {

    public static final String DRIVER_SVC_POSTFIX = "-driver-svc";
    public static final Map<String, String> RESERVED_LABELS = Map.of(
            "spark-version", "", "spark-app-selector", "", "spark-app-name", "", "spark-role", "");

    public DriverConf {
        appArgs = List.copyOf(appArgs);
    }

    /**
     * Picks the generated names as Spark does: the prefix from the app name, the service name from the
     * prefix unless that exceeds a DNS label, then a shorter {@code spark-<id>} form.
     */
    public static DriverConf create(SparkConf conf, MainResource mainResource, String mainClass, List<String> appArgs,
                                    Optional<String> proxyUser, IdGenerator ids, LocalEnvironment env) {
        String appId = ids.appId();
        String appName = conf.get("spark.app.name", "spark");
        String prefix = Names.resourceNamePrefix(appName, ids.uniqueId());
        String preferredService = prefix + DRIVER_SVC_POSTFIX;
        String serviceName = preferredService.length() <= KubernetesKeys.DNS_LABEL_MAX
                ? preferredService
                : "spark-" + ids.uniqueId() + DRIVER_SVC_POSTFIX;
        String localDir = "/var/data/spark-" + ids.uuid();
        return new DriverConf(conf, appId, prefix, serviceName, mainResource, mainClass, appArgs, proxyUser, localDir, env);
    }

    @Override
    public PodRole role() {
        return PodRole.DRIVER;
    }

    @Override
    public String executorIdForSubstitution() {
        return "";
    }

    public String driverPodName() {
        String name = conf.getOptional(KubernetesKeys.DRIVER_POD_NAME).orElse(resourceNamePrefix + "-driver");
        if (!KubernetesKeys.isDnsSubdomain(name)) {
            throw UserInputException.forKey("spark.app.name", "the driver pod name '" + name
                    + "' derived from it is not a valid Kubernetes name; shorten the name or set spark.kubernetes.driver.pod.name");
        }
        return name;
    }

    /** Custom labels (validated, reserved keys refused) then Spark's own, which always win. */
    public Map<String, String> labels() {
        Map<String, String> custom = new LinkedHashMap<>();
        conf.withPrefix(role().labelPrefix()).forEach((k, v) -> custom.put(k, substituteIds(v)));
        for (String key : custom.keySet()) {
            if (RESERVED_LABELS.containsKey(key)) {
                throw UserInputException.forKey(role().labelPrefix() + key,
                        "label '" + key + "' is reserved for Spark bookkeeping operations");
            }
        }
        Names.checkLabels(role().labelPrefix(), custom);
        Map<String, String> labels = new LinkedHashMap<>(custom);
        labels.putAll(presetLabels());
        return labels;
    }

    /** The labels Spark puts on the driver pod and selects it by. */
    public Map<String, String> presetLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("spark-version", SparkVersion.TARGET);
        labels.put("spark-app-selector", appId);
        labels.put("spark-app-name", Names.appNameLabel(appName()));
        labels.put("spark-role", "driver");
        return labels;
    }

    public Map<String, String> environment() {
        return conf.withPrefix(KubernetesKeys.DRIVER_ENV_PREFIX);
    }

    public Map<String, String> serviceLabels() {
        Map<String, String> labels = conf.withPrefix(KubernetesKeys.DRIVER_SERVICE_LABEL_PREFIX);
        Names.checkLabels(KubernetesKeys.DRIVER_SERVICE_LABEL_PREFIX, labels);
        return labels;
    }

    public Map<String, String> serviceAnnotations() {
        Map<String, String> annotations = conf.withPrefix(KubernetesKeys.DRIVER_SERVICE_ANNOTATION_PREFIX);
        Names.checkAnnotationKeys(KubernetesKeys.DRIVER_SERVICE_ANNOTATION_PREFIX, annotations);
        return annotations;
    }

    public Optional<String> schedulerName() {
        return conf.getOptional(KubernetesKeys.DRIVER_SCHEDULER_NAME).or(() -> conf.getOptional(KubernetesKeys.SCHEDULER_NAME));
    }

    public String image() {
        return containerImage(KubernetesKeys.DRIVER_CONTAINER_IMAGE);
    }
}
