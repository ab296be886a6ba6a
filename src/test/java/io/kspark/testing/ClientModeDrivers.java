package io.kspark.testing;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kspark.conf.PropertiesFiles;
import io.kspark.reconciler.model.KsparkMetadata;

import java.util.Map;

/**
 * Client-mode drivers as the reconciler sees them: a notebook pod after {@code kspark expose}, and the hand-over the
 * kspark allocator plugin writes when a Spark application starts in it (see spark-plugin's DriverHandOver).
 */
public final class ClientModeDrivers {

    private ClientModeDrivers() {
    }

    /** A running notebook pod labelled as {@code kspark expose --reconciler <mode>} leaves it. */
    public static Pod notebook(KubernetesClient client, String namespace, String name, String mode) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app", "jupyter").addToLabels("kspark.io/driver-pod", name)
                .addToLabels(KsparkMetadata.RECONCILER_LABEL, mode).addToLabels("spark-role", "driver").endMetadata()
                .withNewSpec().addNewContainer().withName("notebook").withImage("jupyter").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build();
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    /** A running client-mode driver's conf: the app id, the driver's real address and the executor name prefix. */
    public static Map<String, String> conf(String namespace, String pod, String appId, String prefix, int driverPort) {
        return Map.of("spark.app.id", appId, "spark.app.name", "notebook-app", "spark.master", "k8s://https://kubernetes.default.svc",
                "spark.submit.deployMode", "client", "spark.driver.host", pod + "-svc." + namespace + ".svc",
                "spark.driver.port", Integer.toString(driverPort), "spark.kubernetes.container.image", "apache/spark:4.1.1",
                "spark.kubernetes.namespace", namespace, "spark.kubernetes.driver.pod.name", pod,
                "spark.kubernetes.executor.podNamePrefix", prefix);
    }

    /** What the plugin writes at start: the owned conf ConfigMap, then one patch of the pod's labels and annotations. */
    public static void handOver(KubernetesClient client, String namespace, String pod, String appId, Map<String, String> conf, String target) {
        Pod driver = client.pods().inNamespace(namespace).withName(pod).get();
        String configMap = appId + "-driver-conf";
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(configMap).withNamespace(namespace)
                    .addToLabels("spark-app-selector", appId).addToLabels("kspark.io/role", "driver-conf")
                    .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(pod).withUid(driver.getMetadata().getUid())
                    .withController(true).endOwnerReference()
                .endMetadata()
                .withImmutable(true)
                .addToData("spark.properties", PropertiesFiles.store(null, conf))
                .build()).create();
        client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"spark-app-selector\":\"" + appId + "\",\"spark-role\":\"driver\"},\"annotations\":{\""
                        + KsparkMetadata.SPARK_CONF + "\":\"" + configMap + "\",\"" + KsparkMetadata.SPARK_USER + "\":\"jovyan\",\""
                        + KsparkMetadata.DRIVER_HEARTBEAT + "\":\"" + java.time.Instant.now() + "\",\""
                        + KsparkMetadata.EXECUTOR_TARGET + "\":\"" + target + "\",\""
                        + KsparkMetadata.LAST_EXECUTOR_ID + "\":null,\"" + KsparkMetadata.EXECUTOR_FAILURES + "\":null,\""
                        + KsparkMetadata.ALLOCATION_STOPPED + "\":null}}}");
    }

    /** What the plugin does every spark.kspark.driver.heartbeatInterval while the driver lives. */
    public static void heartbeat(KubernetesClient client, String namespace, String pod) {
        client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + KsparkMetadata.DRIVER_HEARTBEAT + "\":\"" + java.time.Instant.now() + "\"}}}");
    }

    /** What the plugin does at stop: target 0, then the application's executor pods are deleted. */
    public static void stop(KubernetesClient client, String namespace, String pod, String appId) {
        client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + KsparkMetadata.EXECUTOR_TARGET + "\":\"0\"}}}");
        client.pods().inNamespace(namespace).withLabel("spark-app-selector", appId).withLabel("spark-role", "executor").list().getItems()
                .forEach(p -> client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete());
    }
}
