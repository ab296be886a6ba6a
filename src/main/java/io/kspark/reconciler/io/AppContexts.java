package io.kspark.reconciler.io;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.PropertiesFiles;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.ExecutorConf;
import io.kspark.k8s.ExecutorContext;
import io.kspark.k8s.ExecutorContexts;
import io.kspark.k8s.ExecutorNaming;
import io.kspark.k8s.ExecutorProfile;
import io.kspark.k8s.ExecutorSpec;
import io.kspark.k8s.ExecutorSpecBuilder;
import io.kspark.k8s.Names;
import io.kspark.reconciler.model.AppKey;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.AppSettings;
import io.kspark.reconciler.plan.ClaimBudget;
import io.kspark.submit.DriverObjectsFactory;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rebuilds each application's {@link AppContext} from the API server (driver pod, driver ConfigMap,
 * pod-template ConfigMap) and makes sure the executor ConfigMap exists. Names are derived from the
 * driver pod's uid, so a restarted reconciler arrives at the same ones. Blocking; call off the
 * event loop.
 */
public final class AppContexts {

    static final String TEMPLATE_VOLUME = "pod-template-volume";

    private final KubernetesClient client;
    private final Map<AppKey, AppContext> contexts = new ConcurrentHashMap<>();

    public AppContexts(KubernetesClient client) {
        this.client = client;
    }

    public Optional<AppContext> cached(AppKey key) {
        return Optional.ofNullable(contexts.get(key));
    }

    public void forget(AppKey key) {
        contexts.remove(key);
    }

    /**
     * The settings an app ran with, read from its driver's conf and nothing created: for a driver that has ended
     * before this reconciler loaded its context (a restart, a new leader). Empty when the conf cannot be read.
     */
    public Optional<AppSettings> settingsOfEnded(AppKey key, Pod driver) {
        try {
            return confConfigMapName(driver)
                    .map(name -> client.configMaps().inNamespace(key.namespace()).withName(name).get())
                    .filter(confMap -> confMap.getData() != null)
                    .map(confMap -> AppSettings.from(SparkConf.of(PropertiesFiles.parse(
                            confMap.getData().getOrDefault(ExecutorContexts.PROPERTIES_KEY, "")))));
        } catch (KubernetesClientException | UserInputException e) {
            return Optional.empty();
        }
    }

    public AppContext get(AppKey key, Pod driver) {
        AppContext cached = contexts.get(key);
        if (cached != null && !learnedDriverPodIp(cached, driver)) {
            return cached;
        }
        AppContext loaded = load(key, driver);
        contexts.put(key, loaded);
        return loaded;
    }

    private AppContext load(AppKey key, Pod driver) {
        String ns = key.namespace();
        String confName = confConfigMapName(driver).orElseThrow(() -> new UnusableSparkConf("driver pod "
                + driver.getMetadata().getName() + " has no Spark conf: neither volume " + DriverObjectsFactory.CONF_VOLUME
                + " nor annotation " + KsparkMetadata.SPARK_CONF + " (a client-mode driver needs the kspark allocator plugin)"));
        ConfigMap driverConfigMap = Optional.ofNullable(client.configMaps().inNamespace(ns).withName(confName).get())
                .orElseThrow(() -> new UnusableSparkConf("Spark conf ConfigMap " + ns + "/" + confName + " of driver pod "
                        + driver.getMetadata().getName() + " not found"));
        checkPublishedFor(key, driverConfigMap);
        Optional<ConfigMap> template = configMapOfVolume(driver, TEMPLATE_VOLUME)
                .map(name -> client.configMaps().inNamespace(ns).withName(name).get());
        ExecutorNaming naming = namingFor(driver, key.appId());
        ConfigMap executorConfigMap = ensureExecutorConfigMap(key, driver, driverConfigMap, naming.configMapName());
        ExecutorNaming resolved = new ExecutorNaming(naming.prefixUniqueId(), executorConfigMap.getMetadata().getName(), naming.defaultLocalDir());
        try {
            ExecutorContext executors = ExecutorContexts.fromDriver(driver, driverConfigMap, template, resolved, Optional.empty());
            if (executors.conf().get(CoreKeys.AUTHENTICATE) && !CoreKeys.executorsReadSecretFile(executors.conf())) {
                throw new UnusableSparkConf(CoreKeys.AUTHENTICATE.key() + "=true in the conf of driver pod " + driver.getMetadata().getName()
                        + " without " + CoreKeys.AUTH_SECRET_FILE + ": kspark cannot give executors the secret generated inside the driver");
            }
            // Build one executor now: a conf that cannot build executors must fail before any id is spent on it.
            ExecutorSpec first = ExecutorSpecBuilder.build(new ExecutorConf(executors, "1", ExecutorProfile.DEFAULT));
            int claimsPerExecutor = (int) first.resources().stream().filter(PersistentVolumeClaim.class::isInstance).count();
            return new AppContext(executors, AppSettings.from(executors.conf()), ClaimBudget.limit(executors.conf()), claimsPerExecutor);
        } catch (UserInputException e) {
            throw new UnusableSparkConf("Spark conf ConfigMap " + ns + "/" + confName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Executors carry the driver pod's IP (as Spark's entrypoint passes it), which a pending driver
     * does not have yet: a context built before the driver was scheduled is rebuilt once it is.
     */
    private static boolean learnedDriverPodIp(AppContext cached, Pod driver) {
        return cached.executors().driverPod().flatMap(ExecutorContexts::driverPodIp).isEmpty()
                && ExecutorContexts.driverPodIp(driver).isPresent();
    }

    /**
     * Where the driver's spark.properties are: the conf volume of a submitted (cluster-mode) driver, else the ConfigMap
     * the kspark allocator plugin published for a client-mode driver.
     */
    static Optional<String> confConfigMapName(Pod driver) {
        return configMapOfVolume(driver, DriverObjectsFactory.CONF_VOLUME)
                .or(() -> Optional.ofNullable(driver.getMetadata().getAnnotations()).map(a -> a.get(KsparkMetadata.SPARK_CONF))
                        .filter(name -> !name.isBlank()));
    }

    /** A published conf names its application; one left by an earlier application on the same pod is refused. */
    private static void checkPublishedFor(AppKey key, ConfigMap driverConfigMap) {
        Map<String, String> labels = driverConfigMap.getMetadata().getLabels();
        String appId = labels == null ? null : labels.get("spark-app-selector");
        if (appId != null && !appId.equals(key.appId())) {
            throw new UnusableSparkConf("Spark conf ConfigMap " + driverConfigMap.getMetadata().getName() + " belongs to application "
                    + appId + ", not " + key.appId());
        }
    }

    /**
     * Deterministic, Spark-shaped names from the driver's uid and the app id (a client-mode driver pod runs one
     * application after another).
     */
    static ExecutorNaming namingFor(Pod driver, String appId) {
        String podIdentity = driver.getMetadata().getUid() == null ? driver.getMetadata().getName() : driver.getMetadata().getUid();
        String uid = podIdentity + "/" + appId;
        String hash = Names.stableHex(uid);
        return new ExecutorNaming(hash.substring(0, 16), Names.configMapName("spark-exec-" + hash.substring(16, 32)),
                "/var/data/spark-" + UUID.nameUUIDFromBytes(uid.getBytes(StandardCharsets.UTF_8)));
    }

    private static Optional<String> configMapOfVolume(Pod driver, String volumeName) {
        return driver.getSpec().getVolumes().stream()
                .filter(v -> volumeName.equals(v.getName()) && v.getConfigMap() != null)
                .map(Volume::getConfigMap).map(cm -> cm.getName()).findFirst();
    }

    /**
     * The ConfigMap executors mount at /opt/spark/conf: Spark's driver creates one labelled with the
     * app id and role; when there is none yet, kspark creates it with the driver's conf files.
     */
    private ConfigMap ensureExecutorConfigMap(AppKey key, Pod driver, ConfigMap driverConfigMap, String name) {
        List<ConfigMap> existing = client.configMaps().inNamespace(key.namespace())
                .withLabel("spark-app-selector", key.appId()).withLabel("spark-role", "executor").list().getItems();
        if (!existing.isEmpty()) {
            return existing.stream().min(Comparator.comparing(cm -> cm.getMetadata().getName())).get();
        }
        Map<String, String> data = new LinkedHashMap<>();
        driverConfigMap.getData().forEach((k, v) -> {
            if (!k.equals(ExecutorContexts.PROPERTIES_KEY)) {
                data.put(k, v);
            }
        });
        data.put(KubernetesKeys.NAMESPACE.key(), key.namespace());
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(key.namespace())
                    .addToLabels("spark-app-selector", key.appId()).addToLabels("spark-role", "executor")
                    .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(driver.getMetadata().getName())
                    .withUid(driver.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata()
                .withImmutable(true)
                .withData(data)
                .build();
        try {
            return client.configMaps().inNamespace(key.namespace()).resource(configMap).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return configMap;
            }
            throw e;
        }
    }
}
