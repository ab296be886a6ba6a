package io.kspark.conf;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Spark 4.1's {@code spark.kubernetes.*} keys with Spark's defaults and checks. */
public final class KubernetesKeys {

    public static final int DNS_SUBDOMAIN_MAX = 253;
    public static final int DNS_LABEL_MAX = 63;
    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("^" + DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*$");
    private static final String OBJECT_NAME_RULE = "must be a valid Kubernetes object name (lower-case DNS subdomain, at most 253 characters)";

    public static final ConfEntry<String> NAMESPACE = ConfEntry.string("spark.kubernetes.namespace", "default");
    public static final ConfEntry<String> CONTEXT = ConfEntry.string("spark.kubernetes.context", null);
    public static final ConfEntry<String> DRIVER_MASTER = ConfEntry.string("spark.kubernetes.driver.master", "https://kubernetes.default.svc");

    public static final ConfEntry<String> CONTAINER_IMAGE = ConfEntry.string("spark.kubernetes.container.image", null);
    public static final ConfEntry<String> DRIVER_CONTAINER_IMAGE = ConfEntry.string("spark.kubernetes.driver.container.image", null);
    public static final ConfEntry<String> EXECUTOR_CONTAINER_IMAGE = ConfEntry.string("spark.kubernetes.executor.container.image", null);
    public static final ConfEntry<String> IMAGE_PULL_POLICY = ConfEntry.string("spark.kubernetes.container.image.pullPolicy", "IfNotPresent")
            .checked(Set.of("Always", "Never", "IfNotPresent")::contains, "must be one of Always, Never, IfNotPresent");
    public static final ConfEntry<List<String>> IMAGE_PULL_SECRETS = ConfEntry.list("spark.kubernetes.container.image.pullSecrets");
    public static final ConfEntry<Long> CONFIG_MAP_MAX_SIZE = ConfEntry.longValue("spark.kubernetes.configMap.maxSize", 1048576L)
            .checked(v -> v <= 1048576, "must be at most 1048576 bytes");

    public static final String AUTH_DRIVER_PREFIX = "spark.kubernetes.authenticate.driver";
    public static final String AUTH_DRIVER_MOUNTED_PREFIX = "spark.kubernetes.authenticate.driver.mounted";
    public static final String AUTH_SUBMISSION_PREFIX = "spark.kubernetes.authenticate.submission";
    public static final String AUTH_CLIENT_MODE_PREFIX = "spark.kubernetes.authenticate";
    public static final String OAUTH_TOKEN = "oauthToken";
    public static final String OAUTH_TOKEN_FILE = "oauthTokenFile";
    public static final String CLIENT_KEY_FILE = "clientKeyFile";
    public static final String CLIENT_CERT_FILE = "clientCertFile";
    public static final String CA_CERT_FILE = "caCertFile";
    public static final ConfEntry<String> DRIVER_SERVICE_ACCOUNT = ConfEntry.string("spark.kubernetes.authenticate.driver.serviceAccountName", null)
            .checked(KubernetesKeys::isEmptyOrDnsSubdomain, OBJECT_NAME_RULE);
    public static final ConfEntry<String> EXECUTOR_SERVICE_ACCOUNT = ConfEntry.string("spark.kubernetes.authenticate.executor.serviceAccountName", null)
            .checked(KubernetesKeys::isEmptyOrDnsSubdomain, OBJECT_NAME_RULE);
    public static final ConfEntry<Integer> SUBMISSION_REQUEST_TIMEOUT = ConfEntry.integer("spark.kubernetes.submission.requestTimeout", 10000);
    public static final ConfEntry<Integer> SUBMISSION_CONNECTION_TIMEOUT = ConfEntry.integer("spark.kubernetes.submission.connectionTimeout", 10000);
    public static final ConfEntry<Integer> DRIVER_REQUEST_TIMEOUT = ConfEntry.integer("spark.kubernetes.driver.requestTimeout", 10000);
    public static final ConfEntry<Integer> DRIVER_CONNECTION_TIMEOUT = ConfEntry.integer("spark.kubernetes.driver.connectionTimeout", 10000);
    public static final ConfEntry<Boolean> TRUST_CERTIFICATES = ConfEntry.bool("spark.kubernetes.trust.certificates", false);

    public static final ConfEntry<String> DRIVER_LIMIT_CORES = ConfEntry.string("spark.kubernetes.driver.limit.cores", null);
    public static final ConfEntry<String> DRIVER_REQUEST_CORES = ConfEntry.string("spark.kubernetes.driver.request.cores", null);
    public static final ConfEntry<String> EXECUTOR_LIMIT_CORES = ConfEntry.string("spark.kubernetes.executor.limit.cores", null);
    public static final ConfEntry<String> EXECUTOR_REQUEST_CORES = ConfEntry.string("spark.kubernetes.executor.request.cores", null);
    public static final ConfEntry<Boolean> SUBMIT_IN_DRIVER = ConfEntry.bool("spark.kubernetes.submitInDriver", false);
    public static final ConfEntry<Double> MEMORY_OVERHEAD_FACTOR = ConfEntry.decimal("spark.kubernetes.memoryOverheadFactor", 0.1)
            .checked(f -> f >= 0, "must not be negative");

    public static final ConfEntry<String> SCHEDULER_NAME = ConfEntry.string("spark.kubernetes.scheduler.name", null)
            .checked(KubernetesKeys::isEmptyOrDnsSubdomain, OBJECT_NAME_RULE);
    public static final ConfEntry<String> DRIVER_SCHEDULER_NAME = ConfEntry.string("spark.kubernetes.driver.scheduler.name", null)
            .checked(KubernetesKeys::isEmptyOrDnsSubdomain, OBJECT_NAME_RULE);
    public static final ConfEntry<String> EXECUTOR_SCHEDULER_NAME = ConfEntry.string("spark.kubernetes.executor.scheduler.name", null)
            .checked(KubernetesKeys::isEmptyOrDnsSubdomain, OBJECT_NAME_RULE);

    public static final ConfEntry<String> DRIVER_POD_NAME = ConfEntry.string("spark.kubernetes.driver.pod.name", null)
            .checked(KubernetesKeys::isDnsSubdomain, OBJECT_NAME_RULE);
    public static final ConfEntry<String> EXECUTOR_POD_NAME_PREFIX = ConfEntry.string("spark.kubernetes.executor.podNamePrefix", null)
            .checked(KubernetesKeys::isValidExecutorPodNamePrefix,
                    "must be a lower-case DNS subdomain of at most 237 characters (253 minus '-exec-' and the executor id)");
    public static final ConfEntry<Boolean> EXECUTOR_DISABLE_CONFIGMAP = ConfEntry.bool("spark.kubernetes.executor.disableConfigMap", false);
    public static final ConfEntry<List<String>> DRIVER_FEATURE_STEPS = ConfEntry.list("spark.kubernetes.driver.pod.featureSteps");
    public static final ConfEntry<List<String>> DRIVER_EXCLUDED_FEATURE_STEPS = ConfEntry.list("spark.kubernetes.driver.pod.excludedFeatureSteps");
    public static final ConfEntry<List<String>> EXECUTOR_FEATURE_STEPS = ConfEntry.list("spark.kubernetes.executor.pod.featureSteps");
    public static final ConfEntry<List<String>> EXECUTOR_EXCLUDED_FEATURE_STEPS = ConfEntry.list("spark.kubernetes.executor.pod.excludedFeatureSteps");
    public static final ConfEntry<String> EXECUTOR_DECOMMISSION_LABEL = ConfEntry.string("spark.kubernetes.executor.decommissionLabel", null);
    public static final ConfEntry<String> EXECUTOR_DECOMMISSION_LABEL_VALUE = ConfEntry.string("spark.kubernetes.executor.decommissionLabelValue", null);
    public static final ConfEntry<String> DECOMMISSION_SCRIPT = ConfEntry.string("spark.kubernetes.decommission.script", "/opt/decom.sh");

    public static final ConfEntry<String> PODS_ALLOCATOR = ConfEntry.string("spark.kubernetes.allocation.pods.allocator", "direct");
    public static final ConfEntry<Integer> ALLOCATION_BATCH_SIZE = ConfEntry.integer("spark.kubernetes.allocation.batch.size", 10)
            .checked(v -> v > 0, "must be a positive integer");
    public static final ConfEntry<Long> ALLOCATION_BATCH_DELAY = ConfEntry.time("spark.kubernetes.allocation.batch.delay", TimeUnit.MILLISECONDS, "1s")
            .checked(v -> v > 100, "must be greater than 0.1s");
    public static final ConfEntry<Integer> ALLOCATION_MAXIMUM = ConfEntry.integer("spark.kubernetes.allocation.maximum", Integer.MAX_VALUE)
            .checked(v -> v > 0, "must be a positive integer");
    public static final ConfEntry<Long> ALLOCATION_DRIVER_READINESS_TIMEOUT =
            ConfEntry.time("spark.kubernetes.allocation.driver.readinessTimeout", TimeUnit.SECONDS, "1s").checked(v -> v > 0, "must be positive");
    public static final ConfEntry<Long> ALLOCATION_EXECUTOR_TIMEOUT =
            ConfEntry.time("spark.kubernetes.allocation.executor.timeout", TimeUnit.MILLISECONDS, "600s").checked(v -> v > 0, "must be positive");
    public static final ConfEntry<Integer> MAX_PENDING_PODS = ConfEntry.integer("spark.kubernetes.allocation.maxPendingPods", Integer.MAX_VALUE)
            .checked(v -> v > 0, "must be a positive integer");
    public static final ConfEntry<Integer> MAX_PENDING_PODS_PER_RP = ConfEntry.integer("spark.kubernetes.allocation.maxPendingPodsPerRp", Integer.MAX_VALUE)
            .checked(v -> v > 0, "must be a positive integer");

    public static final ConfEntry<Boolean> WAIT_FOR_APP_COMPLETION = ConfEntry.bool("spark.kubernetes.submission.waitAppCompletion", true);
    public static final ConfEntry<Long> REPORT_INTERVAL = ConfEntry.time("spark.kubernetes.report.interval", TimeUnit.MILLISECONDS, "1s")
            .checked(v -> v > 0, "must be a positive duration");
    public static final ConfEntry<Boolean> ENABLE_API_POLLING = ConfEntry.bool("spark.kubernetes.executor.enableApiPolling", true);
    public static final ConfEntry<Boolean> ENABLE_API_WATCHER = ConfEntry.bool("spark.kubernetes.executor.enableApiWatcher", true);
    public static final ConfEntry<Long> API_POLLING_INTERVAL = ConfEntry.time("spark.kubernetes.executor.apiPollingInterval", TimeUnit.MILLISECONDS, "30s")
            .checked(v -> v > 0, "must be a positive duration");
    public static final ConfEntry<Long> EVENT_PROCESSING_INTERVAL =
            ConfEntry.time("spark.kubernetes.executor.eventProcessingInterval", TimeUnit.MILLISECONDS, "1s").checked(v -> v > 0, "must be positive");

    public static final ConfEntry<String> KRB5_PATH = ConfEntry.string("spark.kubernetes.kerberos.krb5.path", null);
    public static final ConfEntry<String> KRB5_CONFIG_MAP = ConfEntry.string("spark.kubernetes.kerberos.krb5.configMapName", null);
    public static final ConfEntry<String> HADOOP_CONFIG_MAP = ConfEntry.string("spark.kubernetes.hadoop.configMapName", null);
    public static final ConfEntry<String> KERBEROS_DT_SECRET_NAME = ConfEntry.string("spark.kubernetes.kerberos.tokenSecret.name", null);
    public static final ConfEntry<String> KERBEROS_DT_SECRET_ITEM_KEY = ConfEntry.string("spark.kubernetes.kerberos.tokenSecret.itemKey", null);
    /** Set by submission so executors mount the Hadoop conf the driver got. */
    public static final String EXECUTOR_HADOOP_CONFIG_MAP = "spark.kubernetes.executor.hadoopConfigMapName";

    public static final ConfEntry<String> APP_RESOURCE_TYPE = ConfEntry.string("spark.kubernetes.resource.type", null)
            .checked(Set.of("java", "python", "r")::contains, "must be one of java, python, r");
    public static final ConfEntry<Boolean> LOCAL_DIRS_TMPFS = ConfEntry.bool("spark.kubernetes.local.dirs.tmpfs", false);
    public static final ConfEntry<String> DRIVER_POD_TEMPLATE_FILE = ConfEntry.string("spark.kubernetes.driver.podTemplateFile", null);
    public static final ConfEntry<String> EXECUTOR_POD_TEMPLATE_FILE = ConfEntry.string("spark.kubernetes.executor.podTemplateFile", null);
    public static final ConfEntry<String> DRIVER_POD_TEMPLATE_CONTAINER = ConfEntry.string("spark.kubernetes.driver.podTemplateContainerName", null);
    public static final ConfEntry<String> EXECUTOR_POD_TEMPLATE_CONTAINER = ConfEntry.string("spark.kubernetes.executor.podTemplateContainerName", null);

    public static final ConfEntry<Boolean> DELETE_EXECUTORS = ConfEntry.bool("spark.kubernetes.executor.deleteOnTermination", true);
    public static final ConfEntry<Long> TERMINATION_GRACE_PERIOD_SECONDS =
            ConfEntry.time("spark.kubernetes.executor.terminationGracePeriodSeconds", TimeUnit.SECONDS, "30s").checked(v -> v >= 0, "must not be negative");
    public static final ConfEntry<Long> APP_KILL_GRACE_PERIOD = ConfEntry.time("spark.kubernetes.appKillPodDeletionGracePeriod", TimeUnit.SECONDS, null);
    public static final ConfEntry<String> FILE_UPLOAD_PATH = ConfEntry.string("spark.kubernetes.file.upload.path", null);
    public static final ConfEntry<Boolean> EXECUTOR_CHECK_ALL_CONTAINERS = ConfEntry.bool("spark.kubernetes.executor.checkAllContainers", true);
    public static final ConfEntry<Boolean> USE_DRIVER_POD_IP = ConfEntry.bool("spark.kubernetes.executor.useDriverPodIP", false);
    public static final ConfEntry<Boolean> LEGACY_PVC_ACCESS_MODE = ConfEntry.bool("spark.kubernetes.legacy.useReadWriteOnceAccessMode", false);
    public static final ConfEntry<Boolean> DRIVER_OWN_PVC = ConfEntry.bool("spark.kubernetes.driver.ownPersistentVolumeClaim", true);
    public static final ConfEntry<Boolean> DRIVER_REUSE_PVC = ConfEntry.bool("spark.kubernetes.driver.reusePersistentVolumeClaim", true);
    public static final ConfEntry<Boolean> DRIVER_WAIT_TO_REUSE_PVC = ConfEntry.bool("spark.kubernetes.driver.waitToReusePersistentVolumeClaim", false);
    public static final ConfEntry<String> SERVICE_IP_FAMILY_POLICY = ConfEntry.string("spark.kubernetes.driver.service.ipFamilyPolicy", "SingleStack")
            .checked(Set.of("SingleStack", "PreferDualStack", "RequireDualStack")::contains,
                    "must be one of SingleStack, PreferDualStack, RequireDualStack");
    public static final ConfEntry<String> SERVICE_IP_FAMILIES = ConfEntry.string("spark.kubernetes.driver.service.ipFamilies", "IPv4")
            .checked(Set.of("IPv4", "IPv6", "IPv4,IPv6", "IPv6,IPv4")::contains, "must be one of IPv4, IPv6, IPv4,IPv6, IPv6,IPv4");

    public static final String NODE_SELECTOR_PREFIX = "spark.kubernetes.node.selector.";
    public static final String DRIVER_ENV_PREFIX = "spark.kubernetes.driverEnv.";
    public static final String DRIVER_SERVICE_LABEL_PREFIX = "spark.kubernetes.driver.service.label.";
    public static final String DRIVER_SERVICE_ANNOTATION_PREFIX = "spark.kubernetes.driver.service.annotation.";

    private KubernetesKeys() {
    }

    public static boolean isDnsSubdomain(String name) {
        return name.length() <= DNS_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.matcher(name).matches();
    }

    /** Empty stands for "not set" in the pod (the API server fills in its default), as with Spark. */
    private static boolean isEmptyOrDnsSubdomain(String name) {
        return name.isEmpty() || isDnsSubdomain(name);
    }

    private static boolean isValidExecutorPodNamePrefix(String prefix) {
        int reserved = Integer.toString(Integer.MAX_VALUE).length() + "-exec-".length();
        return prefix.length() + reserved <= DNS_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.matcher(prefix).matches();
    }
}
