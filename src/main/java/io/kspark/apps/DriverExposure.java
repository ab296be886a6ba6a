package io.kspark.apps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kspark.conf.KsparkKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.Names;
import io.kspark.reconciler.model.KsparkMetadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code kspark expose} needs for a client-mode driver that already runs in a pod: the labels
 * that make the pod selectable (and visible to the controller), the headless Service executors reach
 * it through, and the Spark conf that points Spark at both.
 *
 * @param podLabels labels to set on the pod; a null value removes that label (JSON merge patch)
 */
public record DriverExposure(String namespace, String podName, String serviceName, Map<String, String> podLabels, Service service,
                             Map<String, String> sparkConf) {

    /** The label whose value identifies the pod for the Service selector. */
    public static final String DRIVER_POD_LABEL = "kspark.io/driver-pod";

    public static DriverExposure of(Pod pod, Ports ports, Optional<String> reconciler) {
        String namespace = pod.getMetadata().getNamespace();
        String podName = pod.getMetadata().getName();
        String selectorValue = Names.isLabelValue(podName) ? podName : Names.stableHex(podName).substring(0, 16);
        String preferred = podName + "-svc";
        String serviceName = Names.isDnsLabel(preferred) ? preferred : "spark-" + Names.stableHex(podName).substring(0, 16) + "-driver-svc";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(DRIVER_POD_LABEL, selectorValue);
        if (reconciler.isPresent()) {
            labels.put(KsparkMetadata.RECONCILER_LABEL, reconciler.get());
            labels.put("spark-role", "driver");
        } else {
            labels.put(KsparkMetadata.RECONCILER_LABEL, null); // an earlier expose may have handed the pod to a reconciler
        }
        Service service = new ServiceBuilder()
                .withNewMetadata().withName(serviceName).withNamespace(namespace).addToLabels(DRIVER_POD_LABEL, selectorValue)
                    .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(podName).withUid(pod.getMetadata().getUid())
                    .withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec()
                    .withClusterIP("None")
                    .withSelector(Map.of(DRIVER_POD_LABEL, selectorValue))
                    .addNewPort().withName("driver-rpc-port").withPort(ports.driver()).withNewTargetPort(ports.driver()).endPort()
                    .addNewPort().withName("blockmanager").withPort(ports.blockManager()).withNewTargetPort(ports.blockManager()).endPort()
                    .addNewPort().withName("spark-ui").withPort(ports.ui()).withNewTargetPort(ports.ui()).endPort()
                .endSpec()
                .build();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", serviceName + "." + namespace + ".svc");
        conf.put("spark.driver.bindAddress", "0.0.0.0");
        conf.put("spark.driver.port", Integer.toString(ports.driver()));
        conf.put("spark.driver.blockManager.port", Integer.toString(ports.blockManager()));
        conf.put("spark.kubernetes.namespace", namespace);
        conf.put(KubernetesKeys.DRIVER_POD_NAME.key(), podName);
        reconciler.ifPresent(mode -> {
            conf.put(KsparkKeys.RECONCILER.key(), mode);
            conf.put(KubernetesKeys.PODS_ALLOCATOR.key(), KsparkKeys.PLUGIN_ALLOCATOR_CLASS);
        });
        return new DriverExposure(namespace, podName, serviceName, labels, service, conf);
    }

    /** The driver's ports, as given to {@code kspark expose}. */
    public record Ports(int driver, int blockManager, int ui) {
    }
}
