package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.Quantities;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Name, image, ports, resources, labels and base env of the driver (Spark's BasicDriverFeatureStep). */
public final class BasicDriverStep implements FeatureStep {

    static final double NON_JVM_MEMORY_OVERHEAD_FACTOR = 0.4;

    private final DriverConf conf;
    private final String podName;
    private final String image;
    private final String cpuRequest;
    private final Optional<String> cpuLimit;
    private final long memoryWithOverheadMiB;
    private final double defaultOverheadFactor;
    private final Map<String, Quantity> resourceLimits;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;

    public BasicDriverStep(DriverConf conf) {
        this.conf = conf;
        SparkConf sc = conf.conf();
        this.podName = conf.driverPodName();
        this.image = conf.image();
        this.cpuRequest = checkedQuantity(KubernetesKeys.DRIVER_REQUEST_CORES.key(),
                sc.getOptional(KubernetesKeys.DRIVER_REQUEST_CORES).orElse(Integer.toString(sc.get(CoreKeys.DRIVER_CORES))));
        this.cpuLimit = sc.getOptional(KubernetesKeys.DRIVER_LIMIT_CORES)
                .map(v -> checkedQuantity(KubernetesKeys.DRIVER_LIMIT_CORES.key(), v));
        long memoryMiB = sc.get(CoreKeys.DRIVER_MEMORY);
        this.defaultOverheadFactor = conf.mainResource().isNonJvm() && !sc.contains(KubernetesKeys.MEMORY_OVERHEAD_FACTOR)
                ? NON_JVM_MEMORY_OVERHEAD_FACTOR
                : sc.get(KubernetesKeys.MEMORY_OVERHEAD_FACTOR);
        double factor = sc.contains(CoreKeys.DRIVER_MEMORY_OVERHEAD_FACTOR)
                ? sc.get(CoreKeys.DRIVER_MEMORY_OVERHEAD_FACTOR)
                : defaultOverheadFactor;
        long overheadMiB = sc.getOptional(CoreKeys.DRIVER_MEMORY_OVERHEAD)
                .orElseGet(() -> Math.max((long) (int) (factor * memoryMiB), sc.get(CoreKeys.DRIVER_MIN_MEMORY_OVERHEAD)));
        this.memoryWithOverheadMiB = memoryMiB + overheadMiB;
        this.resourceLimits = ResourceRequests.limits(sc, CoreKeys.DRIVER_RESOURCE_PREFIX);
        this.labels = conf.labels();
        this.annotations = conf.annotations();
    }

    static String checkedQuantity(String key, String value) {
        if (!Quantities.isValid(value) || value.trim().startsWith("-")) {
            throw UserInputException.forKey(key, "'" + value + "' is not a positive Kubernetes CPU quantity (e.g. 1, 0.5, 500m)");
        }
        return value;
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.BasicDriverFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        SparkConf sc = conf.conf();
        Ports.checkDriverPorts(sc);
        Quantity memory = new Quantity(memoryWithOverheadMiB + "Mi");
        Map<String, Quantity> cpuLimits = new LinkedHashMap<>();
        cpuLimit.ifPresent(limit -> cpuLimits.put("cpu", new Quantity(limit)));
        Container container = new ContainerBuilder(pod.container())
                .withName(Optional.ofNullable(pod.container().getName()).orElse("spark-kubernetes-driver"))
                .withImage(image)
                .withImagePullPolicy(conf.imagePullPolicy())
                .addNewPort().withName("driver-rpc-port").withContainerPort(Ports.driverPort(sc)).withProtocol("TCP").endPort()
                .addNewPort().withName("blockmanager").withContainerPort(Ports.podBlockManagerPort(sc)).withProtocol("TCP").endPort()
                .addNewPort().withName("spark-ui").withContainerPort(Ports.uiPort(sc)).withProtocol("TCP").endPort()
                .addNewPort().withName("spark-connect").withContainerPort(Ports.connectPort(sc)).withProtocol("TCP").endPort()
                .addNewEnv().withName("SPARK_USER").withValue(conf.env().userName()).endEnv()
                .addAllToEnv(new EnvVars().add("SPARK_APPLICATION_ID", conf.appId()).addAll(conf.environment()).build())
                .addToEnv(EnvVars.fieldRef("SPARK_DRIVER_BIND_ADDRESS", "status.podIP"))
                .editOrNewResources()
                    .addToRequests("cpu", new Quantity(cpuRequest))
                    .addToLimits(cpuLimits)
                    .addToRequests("memory", memory)
                    .addToLimits("memory", memory)
                    .addToLimits(resourceLimits)
                .endResources()
                .build();
        Pod driverPod = new PodBuilder(pod.pod())
                .editOrNewMetadata()
                    .withName(podName)
                    .addToLabels(labels)
                    .addToAnnotations(annotations)
                .endMetadata()
                .editOrNewSpec()
                    .withRestartPolicy("Never")
                    .addToNodeSelector(conf.nodeSelector())
                    .addToImagePullSecrets(conf.imagePullSecrets().toArray(io.fabric8.kubernetes.api.model.LocalObjectReference[]::new))
                .endSpec()
                .build();
        conf.schedulerName().ifPresent(driverPod.getSpec()::setSchedulerName);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(KubernetesKeys.DRIVER_POD_NAME.key(), podName);
        properties.put(CoreKeys.APP_ID, conf.appId());
        properties.put(KubernetesKeys.SUBMIT_IN_DRIVER.key(), "true");
        properties.put(KubernetesKeys.MEMORY_OVERHEAD_FACTOR.key(), Double.toString(defaultOverheadFactor));
        return StepResult.of(new SparkPod(driverPod, container)).withProperties(properties);
    }
}
