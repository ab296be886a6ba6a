package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.SparkIterationOrder;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.ExecutorConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Name, image, resources, env and ownership of an executor pod (Spark's BasicExecutorFeatureStep). */
public final class BasicExecutorStep implements FeatureStep {

    private final ExecutorConf conf;
    private final ExecutorResources resources;
    private final int blockManagerPort;
    private final String cpuRequest;
    private final Optional<String> cpuLimit;

    public BasicExecutorStep(ExecutorConf conf) {
        this.conf = conf;
        SparkConf sc = conf.conf();
        this.blockManagerPort = Ports.intOr(sc, CoreKeys.BLOCK_MANAGER_PORT, Ports.DEFAULT_BLOCK_MANAGER_PORT);
        if (blockManagerPort != 0 && (blockManagerPort < 1024 || blockManagerPort > 65535)) {
            throw UserInputException.forKey(CoreKeys.BLOCK_MANAGER_PORT, "must be 0 or in [1024, 65535]");
        }
        this.resources = ExecutorResources.of(sc, conf.profile());
        this.cpuRequest = conf.isDefaultProfile() && sc.contains(KubernetesKeys.EXECUTOR_REQUEST_CORES)
                ? BasicDriverStep.checkedQuantity(KubernetesKeys.EXECUTOR_REQUEST_CORES.key(), sc.get(KubernetesKeys.EXECUTOR_REQUEST_CORES))
                : Integer.toString(resources.cores());
        this.cpuLimit = sc.getOptional(KubernetesKeys.EXECUTOR_LIMIT_CORES)
                .map(v -> BasicDriverStep.checkedQuantity(KubernetesKeys.EXECUTOR_LIMIT_CORES.key(), v));
        if (conf.isDefaultProfile() && cpuLimit.isPresent()
                && new Quantity(cpuLimit.get()).compareTo(new Quantity(cpuRequest)) < 0) {
            throw UserInputException.forKey(KubernetesKeys.EXECUTOR_LIMIT_CORES.key(),
                    "the executor cpu request (" + cpuRequest + ") must not exceed the cpu limit (" + cpuLimit.get() + ")");
        }
        conf.labels();
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.BasicExecutorFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        SparkConf sc = conf.conf();
        String name = conf.resourceNamePrefix() + "-exec-" + conf.executorId();
        Quantity memory = new Quantity(resources.totalMemoryMiB() + "Mi");
        Container template = pod.container();
        if (!conf.isDefaultProfile() && template.getResources() != null) {
            template = new ContainerBuilder(template).withResources(new ResourceRequirements()).build();
        }
        ContainerBuilder container = new ContainerBuilder(template)
                .withName(Optional.ofNullable(template.getName()).orElse("spark-kubernetes-executor"))
                .withImage(conf.image())
                .withImagePullPolicy(conf.imagePullPolicy())
                .editOrNewResources()
                    .addToRequests("memory", memory)
                    .addToLimits("memory", memory)
                    .addToRequests("cpu", new Quantity(cpuRequest))
                    .addToLimits(resources.deviceLimits())
                .endResources()
                .addNewEnv().withName("SPARK_USER").withValue(conf.context().userName()).endEnv()
                .addAllToEnv(env());
        if (blockManagerPort != 0) {
            container.addToPorts(new ContainerPortBuilder().withName("blockmanager").withContainerPort(blockManagerPort).build());
        }
        container.addToArgs("executor");
        boolean configMapDisabled = sc.get(KubernetesKeys.EXECUTOR_DISABLE_CONFIGMAP);
        if (!configMapDisabled) {
            container.addNewVolumeMount().withName("spark-conf-volume-exec").withMountPath("/opt/spark/conf").endVolumeMount();
        }
        if (conf.isDefaultProfile() && cpuLimit.isPresent()) {
            container.editResources().addToLimits("cpu", new Quantity(cpuLimit.get())).endResources();
        }
        if (sc.get(CoreKeys.DECOMMISSION_ENABLED)) {
            container.withNewLifecycle().withNewPreStop().withNewExec()
                    .addToCommand(sc.get(KubernetesKeys.DECOMMISSION_SCRIPT))
                    .endExec().endPreStop().endLifecycle();
        }
        PodBuilder builder = new PodBuilder(pod.pod())
                .editOrNewMetadata()
                    .withName(name)
                    .addToLabels(conf.labels())
                    .addToAnnotations(conf.annotations())
                .endMetadata();
        conf.context().driverPod().ifPresent(driver -> builder.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder()
                .withController(true)
                .withApiVersion(driver.getApiVersion())
                .withKind(driver.getKind())
                .withName(driver.getMetadata().getName())
                .withUid(driver.getMetadata().getUid())
                .build()).endMetadata());
        builder.editOrNewSpec()
                .withHostname(hostname(name))
                .withRestartPolicy("statefulset".equals(sc.get(KubernetesKeys.PODS_ALLOCATOR)) ? "Always" : "Never")
                .withTerminationGracePeriodSeconds(sc.get(KubernetesKeys.TERMINATION_GRACE_PERIOD_SECONDS))
                .addToNodeSelector(conf.nodeSelector())
                .addToImagePullSecrets(conf.imagePullSecrets().toArray(LocalObjectReference[]::new))
                .endSpec();
        if (!configMapDisabled) {
            builder.editSpec().addNewVolume().withName("spark-conf-volume-exec")
                    .withNewConfigMap()
                        .withItems(conf.context().confFileNames().stream().sorted().map(f -> new KeyToPath(f, 420, f)).toList())
                        .withName(conf.context().configMapName())
                    .endConfigMap()
                    .endVolume().endSpec();
        }
        Pod executorPod = builder.build();
        conf.schedulerName().ifPresent(executorPod.getSpec()::setSchedulerName);
        return StepResult.of(new SparkPod(executorPod, container.build()));
    }

    /** The last 63 characters of the pod name, made hostname-safe as Spark does. */
    static String hostname(String podName) {
        return podName.substring(Math.max(0, podName.length() - 63))
                .replaceAll("^[^\\w]+", "")
                .replaceAll("[^\\w-]+", "_");
    }

    private List<EnvVar> env() {
        SparkConf sc = conf.conf();
        EnvVars env = new EnvVars()
                .add("SPARK_DRIVER_URL", driverUrl())
                .add("SPARK_EXECUTOR_CORES", Integer.toString(resources.cores()))
                .add("SPARK_EXECUTOR_MEMORY", resources.executorMemoryMiB() + "m")
                .add("SPARK_APPLICATION_ID", conf.appId())
                .add("SPARK_CONF_DIR", "/opt/spark/conf")
                .add("SPARK_EXECUTOR_ID", conf.executorId())
                .add("SPARK_RESOURCE_PROFILE_ID", Integer.toString(conf.resourceProfileId()));
        if (sc.contains(CoreKeys.EXECUTOR_LOG_URL)) {
            env.add("SPARK_EXECUTOR_ATTRIBUTE_APP_ID", conf.appId()).add("SPARK_EXECUTOR_ATTRIBUTE_EXECUTOR_ID", conf.executorId());
        }
        conf.environment().forEach((k, v) -> env.add(k, k.equals("SPARK_EXECUTOR_DIRS")
                ? v.replace("SPARK_APPLICATION_ID", conf.appId()).replace("SPARK_EXECUTOR_ID", conf.executorId())
                : v));
        if (!CoreKeys.executorsReadSecretFile(sc)) {
            conf.context().authSecret().ifPresent(secret -> env.add("_SPARK_AUTH_SECRET", secret));
        }
        env.add("SPARK_CLASSPATH", sc.getOption(CoreKeys.EXECUTOR_CLASS_PATH).orElse(null));
        List<String> javaOpts = javaOptions();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < javaOpts.size(); i++) {
            names.add("SPARK_JAVA_OPT_" + i);
        }
        // Spark numbers the options in order, then collects them into a Scala Map: env order is that map's.
        for (String name : SparkIterationOrder.scalaOrder(names)) {
            env.add(name, javaOpts.get(Integer.parseInt(name.substring("SPARK_JAVA_OPT_".length()))));
        }
        List<EnvVar> result = new ArrayList<>(env.build());
        result.add(EnvVars.fieldRef("SPARK_EXECUTOR_POD_IP", "status.podIP"));
        result.add(EnvVars.fieldRef("SPARK_EXECUTOR_POD_NAME", "metadata.name"));
        return result;
    }

    private String driverUrl() {
        SparkConf sc = conf.conf();
        String host = sc.get(KubernetesKeys.USE_DRIVER_POD_IP)
                ? sc.getOption(CoreKeys.DRIVER_BIND_ADDRESS).or(() -> sc.getOption(CoreKeys.DRIVER_HOST)).orElse("")
                : sc.getOption(CoreKeys.DRIVER_HOST).orElse("");
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + Ports.driverPort(sc);
        return "spark://CoarseGrainedScheduler@" + hostPort;
    }

    /** Default then extra options (with ids substituted), then Spark's startup settings as {@code -Dkey=value}. */
    private List<String> javaOptions() {
        SparkConf sc = conf.conf();
        List<String> options = new ArrayList<>();
        sc.getWithPrepended(CoreKeys.EXECUTOR_DEFAULT_JAVA_OPTIONS, CoreKeys.EXECUTOR_JAVA_OPTIONS).ifPresent(opts -> options.addAll(CommandLineSplitter.split(conf.substituteIds(opts))));
        for (Map.Entry<String, String> e : sc.entriesInSparkOrder()) {
            if (isExecutorStartupConf(e.getKey())) {
                options.add("-D" + e.getKey() + "=" + e.getValue());
            }
        }
        return options;
    }

    static boolean isExecutorStartupConf(String name) {
        return (name.startsWith("spark.auth") && !name.equals("spark.authenticate.secret"))
                || name.startsWith("spark.rpc")
                || name.startsWith("spark.network")
                || (name.startsWith("spark.ssl") && !name.contains("Password"))
                || (name.startsWith("spark.") && name.endsWith(".port"))
                || name.startsWith("spark.port.");
    }
}
