package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.k8s.Config$;
import org.apache.spark.deploy.k8s.KubernetesConf$;
import org.apache.spark.deploy.k8s.KubernetesExecutorConf;
import org.apache.spark.deploy.k8s.KubernetesExecutorSpec;
import org.apache.spark.deploy.k8s.KubernetesUtils;
import org.apache.spark.deploy.k8s.SparkPod;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.ResourceProfile$;
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder;
import org.apache.spark.util.Utils;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Child-JVM main: builds executor 1 the way Spark 4.1.1's driver does, with Spark's own code, and writes
 * executor-1.json. Started by {@link Recorder} with the driver container's environment (see
 * {@link DriverContainerMirror}).
 *
 * <p>Arguments: {@code <api server url> <namespace> <driver pod name> <local spark.properties> <out file>
 * [--profile <resource-profile.json> <out file>] [<container path>=<local path> ...]} (mirrored mount directories, used
 * to find the executor pod template file). With {@code --profile}, executor 2 is recorded too, built for the resource
 * profile the file describes (kspark's {@code kspark.io/resource-profiles} format, one profile with id 1), as Spark's
 * allocator builds executors of a stage-level scheduling profile.
 *
 * <p>What the running driver has, and so what is reproduced here, in order:
 * <ol>
 *   <li>{@code spark-submit --properties-file /opt/spark/conf/spark.properties} in the driver container
 *       (entrypoint.sh): the properties of the driver ConfigMap, values trimmed, non-{@code spark.} keys dropped;</li>
 *   <li>the entrypoint's {@code --conf spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS} and
 *       {@code --conf spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS} (the pod IP; here
 *       {@link DriverContainerMirror#DRIVER_POD_IP}) and {@code --deploy-mode client};</li>
 *   <li>SparkContext: {@code spark.executor.id=driver}; the RPC port it binds is {@code spark.driver.port} (7078);</li>
 *   <li>KubernetesClusterManager: {@code spark.kubernetes.executor.podNamePrefix}, if unset, becomes
 *       {@code KubernetesConf.getResourceNamePrefix(spark.app.name)} (a new 16-hex infix, not the driver's);</li>
 *   <li>ExecutorPodsAllocator: the driver pod read from the API server, {@code KubernetesConf.createExecutorConf(conf,
 *       "1", applicationId, Some(driverPod), 0)}, {@code KubernetesExecutorBuilder.buildFromFeatures} with the
 *       driver's SecurityManager and the default ResourceProfile, the container added to the pod, the pod created,
 *       then each PVC of the spec owned by the created executor pod, or by the driver pod when
 *       {@code spark.kubernetes.driver.ownPersistentVolumeClaim} (default true), and created.</li>
 * </ol>
 */
public final class ExecutorRecorder {

  static final String EXECUTOR_ID = "1";
  static final String PROFILE_EXECUTOR_ID = "2";
  static final String PROFILE_OPTION = "--profile";

  private ExecutorRecorder() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      throw new IllegalArgumentException("usage: ExecutorRecorder <api server url> <namespace> <driver pod> "
          + "<local spark.properties> <out file> [<container path>=<local path> ...]");
    }
    String apiServer = args[0];
    String namespace = args[1];
    String driverPodName = args[2];
    String propertiesFile = args[3];
    Path out = Path.of(args[4]);
    Map<String, String> mounts = new LinkedHashMap<>();
    Path profileFile = null;
    Path profileOut = null;
    for (int i = 5; i < args.length; i++) {
      if (args[i].equals(PROFILE_OPTION)) {
        profileFile = Path.of(args[++i]);
        profileOut = Path.of(args[++i]);
        continue;
      }
      int eq = args[i].indexOf('=');
      mounts.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }

    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(apiServer).withNamespace(namespace)
        .withRequestTimeout(30_000).withConnectionTimeout(10_000).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      SparkConf conf = driverConf(propertiesFile, mounts);
      ResourceProfile defaultProfile = ResourceProfile$.MODULE$.getOrCreateDefaultProfile(conf);
      GoldenJson.write(out, recordExecutor(conf, client, namespace, driverPodName, EXECUTOR_ID, defaultProfile));
      if (profileFile != null) {
        ResourceProfile profile = resourceProfile(profileFile);
        GoldenJson.write(profileOut, recordExecutor(conf, client, namespace, driverPodName, PROFILE_EXECUTOR_ID, profile));
      }
    }
    // Spark's and fabric8's non-daemon threads must not keep this JVM alive
    System.exit(0);
  }

  /** The SparkConf of the running driver, steps 1-4 of the class comment. */
  static SparkConf driverConf(String propertiesFile, Map<String, String> mounts) {
    SparkConf conf = new SparkConf(false);
    Map<String, String> properties = CollectionConverters.asJava(Utils.getPropertiesFromFile(propertiesFile));
    properties.forEach((k, v) -> {
      if (k.startsWith("spark.")) {
        conf.set(k, v);
      }
    });
    String podIp = DriverContainerMirror.DRIVER_POD_IP;
    conf.set("spark.driver.bindAddress", podIp);
    conf.set("spark.executorEnv.SPARK_DRIVER_POD_IP", podIp);
    conf.set("spark.submit.deployMode", "client");
    conf.set("spark.executor.id", "driver");
    // What SparkContext's constructor adds before any executor is built (SparkContext.scala, Spark 4.1.1).
    conf.set("spark.app.startTime", Long.toString(System.currentTimeMillis()));
    conf.setIfMissing("spark.hadoop.fs.s3a.vectored.read.min.seek.size", "128K");
    conf.setIfMissing("spark.hadoop.fs.s3a.vectored.read.max.merged.size", "2M");
    for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
      conf.set(key, (JavaModuleOptions.defaultModuleOptions() + " " + conf.get(key, "")).trim());
    }
    for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
      conf.set(key, ("-Djava.net.preferIPv6Addresses=" + Utils.preferIPv6() + " " + conf.get(key, "")).trim());
    }
    String prefixKey = Config$.MODULE$.KUBERNETES_EXECUTOR_POD_NAME_PREFIX().key();
    if (!conf.contains(prefixKey)) {
      conf.set(prefixKey, KubernetesConf$.MODULE$.getResourceNamePrefix(conf.get("spark.app.name")));
    }
    // The executor pod template is a file in the driver container (mounted from a ConfigMap): read the local copy.
    String templateKey = Config$.MODULE$.KUBERNETES_EXECUTOR_PODTEMPLATE_FILE().key();
    if (conf.contains(templateKey)) {
      conf.set(templateKey, localPath(conf.get(templateKey), mounts));
    }
    return conf;
  }

  /** Step 5 of the class comment; returns {@code {"pods": {"items": [pod]}, "persistentvolumeclaims": {...}}}. */
  static ObjectNode recordExecutor(SparkConf conf, KubernetesClient client, String namespace, String driverPodName,
      String executorId, ResourceProfile profile) {
    Pod driverPod = client.pods().inNamespace(namespace).withName(driverPodName).get();
    if (driverPod == null) {
      throw new IllegalStateException("no driver pod " + namespace + "/" + driverPodName);
    }
    SecurityManager securityManager =
        new SecurityManager(conf, Option.empty(), org.apache.spark.internal.config.package$.MODULE$
            .AUTH_SECRET_FILE_DRIVER());
    securityManager.initializeAuth();
    String applicationId = conf.get("spark.app.id");

    KubernetesExecutorConf executorConf = KubernetesConf$.MODULE$.createExecutorConf(conf, executorId,
        applicationId, Option.apply(driverPod), profile.id());
    KubernetesExecutorSpec spec = new KubernetesExecutorBuilder().buildFromFeatures(executorConf, securityManager,
        client, profile);
    SparkPod sparkPod = spec.pod();
    Pod executorPod = new PodBuilder(sparkPod.pod())
        .editOrNewSpec()
        .addToContainers(sparkPod.container())
        .endSpec()
        .build();
    // What is sent to the API server, before the server adds namespace, uid, timestamps.
    JsonNode podJson = GoldenJson.fromModel(executorPod);

    List<HasMetadata> resources = new ArrayList<>(CollectionConverters.asJava(spec.executorKubernetesResources()));
    Pod createdExecutorPod = client.pods().inNamespace(namespace).resource(executorPod).create();
    KubernetesUtils.addOwnerReference(createdExecutorPod, toSeq(resources));
    boolean driverOwnsClaims = (Boolean) conf.get(Config$.MODULE$.KUBERNETES_DRIVER_OWN_PVC());
    List<JsonNode> claims = new ArrayList<>();
    for (HasMetadata resource : resources) {
      if (resource instanceof PersistentVolumeClaim claim) {
        if (driverOwnsClaims) {
          KubernetesUtils.addOwnerReference(driverPod, toSeq(List.of(claim)));
        }
        claims.add(GoldenJson.fromModel(claim));
        client.persistentVolumeClaims().inNamespace(namespace).resource(claim).create();
      }
    }

    ObjectNode recorded = GoldenJson.object();
    recorded.set("pods", GoldenJson.itemsList(List.of(podJson)));
    recorded.set("persistentvolumeclaims", GoldenJson.itemsList(claims));
    return recorded;
  }

  /**
   * The one profile of {@code file} built with Spark's own builder. Spark numbers profiles from a JVM-wide counter: the
   * default profile took 0, so this one is 1, which the file must say.
   */
  static ResourceProfile resourceProfile(Path file) throws java.io.IOException {
    JsonNode profiles = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
    if (profiles.size() != 1 || !profiles.has("1")) {
      throw new IllegalArgumentException(file + ": expected one profile, with id 1");
    }
    ExecutorResourceRequests requests = new ExecutorResourceRequests();
    profiles.get("1").fields().forEachRemaining(entry -> {
      long amount = entry.getValue().get("amount").asLong();
      switch (entry.getKey()) {
        case "cores" -> requests.cores((int) amount);
        case "memory" -> requests.memory(amount + "m");
        case "memoryOverhead" -> requests.memoryOverhead(amount + "m");
        case "pyspark.memory" -> requests.pysparkMemory(amount + "m");
        case "offHeap" -> requests.offHeapMemory(amount + "m");
        default -> requests.resource(entry.getKey(), amount, "/opt/spark/getResources.sh",
            entry.getValue().path("vendor").asText(""));
      }
    });
    ResourceProfile profile = new ResourceProfileBuilder().require(requests).build();
    if (profile.id() != 1) {
      throw new IllegalStateException("Spark numbered the profile " + profile.id() + ", not 1");
    }
    return profile;
  }

  private static scala.collection.immutable.Seq<HasMetadata> toSeq(List<HasMetadata> list) {
    return CollectionConverters.asScala(list).toSeq();
  }

  private static String localPath(String containerPath, Map<String, String> mounts) {
    String best = null;
    for (String mountPath : mounts.keySet()) {
      if ((containerPath.equals(mountPath) || containerPath.startsWith(mountPath + "/"))
          && (best == null || mountPath.length() > best.length())) {
        best = mountPath;
      }
    }
    if (best == null) {
      return containerPath;
    }
    return mounts.get(best) + containerPath.substring(best.length());
  }
}
