package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The headless Service executors reach the driver through, and the driver host it implies. */
public final class DriverServiceStep implements FeatureStep {

    private final DriverConf conf;

    public DriverServiceStep(DriverConf conf) {
        this.conf = conf;
        SparkConf sc = conf.conf();
        if (sc.contains(CoreKeys.DRIVER_BIND_ADDRESS)) {
            throw UserInputException.forKey(CoreKeys.DRIVER_BIND_ADDRESS,
                    "is not supported in Kubernetes cluster mode: the driver binds to its pod IP");
        }
        if (sc.contains(CoreKeys.DRIVER_HOST)) {
            throw UserInputException.forKey(CoreKeys.DRIVER_HOST,
                    "is not supported in Kubernetes cluster mode: the driver host is its Service");
        }
        sc.get(KubernetesKeys.SERVICE_IP_FAMILY_POLICY);
        sc.get(KubernetesKeys.SERVICE_IP_FAMILIES);
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.DriverServiceFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        SparkConf sc = conf.conf();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CoreKeys.DRIVER_HOST, conf.driverServiceName() + "." + conf.namespace() + ".svc");
        properties.put(CoreKeys.DRIVER_PORT, Integer.toString(Ports.driverPort(sc)));
        properties.put(CoreKeys.DRIVER_BLOCK_MANAGER_PORT, Integer.toString(Ports.serviceBlockManagerPort(sc)));
        return StepResult.of(pod).withProperties(properties).withResources(List.of(service()));
    }

    private Service service() {
        SparkConf sc = conf.conf();
        int driverPort = Ports.driverPort(sc);
        int blockManagerPort = Ports.serviceBlockManagerPort(sc);
        int uiPort = Ports.uiPort(sc);
        int connectPort = Ports.connectPort(sc);
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(conf.driverServiceName())
                    .addToAnnotations(conf.serviceAnnotations())
                    .addToLabels("spark-app-selector", conf.appId())
                    .addToLabels(conf.serviceLabels())
                .endMetadata()
                .withNewSpec()
                    .withClusterIP("None")
                    .withIpFamilyPolicy(sc.get(KubernetesKeys.SERVICE_IP_FAMILY_POLICY))
                    .withIpFamilies(Arrays.asList(sc.get(KubernetesKeys.SERVICE_IP_FAMILIES).split(",")))
                    .withSelector(conf.labels())
                    .addNewPort().withName("driver-rpc-port").withPort(driverPort).withNewTargetPort(driverPort).endPort()
                    .addNewPort().withName("blockmanager").withPort(blockManagerPort).withNewTargetPort(blockManagerPort).endPort()
                    .addNewPort().withName("spark-ui").withPort(uiPort).withNewTargetPort(uiPort).endPort()
                    .addNewPort().withName("spark-connect").withPort(connectPort).withNewTargetPort(connectPort).endPort()
                .endSpec()
                .build();
    }
}
