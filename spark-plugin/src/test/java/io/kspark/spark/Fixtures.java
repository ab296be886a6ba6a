package io.kspark.spark;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.spark.resource.ResourceProfile;

import java.util.List;
import java.util.Map;

/** Pods and Scala values for the tests, written so that they compile against Scala 2.12 and 2.13. */
final class Fixtures {

    static final String NAMESPACE = "test";
    static final String DRIVER = "spark-pi-driver";
    static final String APP_ID = "spark-0123456789abcdef";

    private Fixtures() {
    }

    /**
     * A running cluster-mode driver pod (as a submission creates it: app id label, conf ConfigMap volume) labelled for
     * the kspark controller, with the given annotations.
     */
    static Pod driverPod(Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata().withName(DRIVER).withNamespace(NAMESPACE)
                    .addToLabels("spark-app-selector", APP_ID).addToLabels("spark-role", "driver")
                    .addToLabels(KsparkPodsAllocator.RECONCILER_LABEL, "controller")
                    .addToAnnotations(annotations)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("spark:4.1.1").endContainer()
                    .addNewVolume().withName(DriverHandOver.SPARK_CONF_VOLUME).withNewConfigMap().withName("spark-drv-0123-conf-map")
                    .endConfigMap().endVolume()
                .endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build();
    }

    /**
     * A running notebook pod that a client-mode driver runs in, after {@code kspark expose} (reconciler label, no app id,
     * no Spark conf), with the given labels and annotations (e.g. left by an earlier application).
     */
    static Pod notebookPod(Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata().withName(DRIVER).withNamespace(NAMESPACE)
                    .addToLabels("app", "jupyter").addToLabels(KsparkPodsAllocator.RECONCILER_LABEL, "controller")
                    .addToLabels(labels).addToAnnotations(annotations)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("notebook").withImage("jupyter").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build();
    }

    /** An executor pod as kspark creates it (Spark's executor labels plus kspark.io/reconciler). */
    static Pod executorPod(long id, String phase) {
        return new PodBuilder()
                .withNewMetadata().withName("spark-pi-exec-" + id).withNamespace(NAMESPACE)
                    .addToLabels("spark-app-selector", APP_ID).addToLabels("spark-role", "executor")
                    .addToLabels("spark-exec-id", Long.toString(id)).addToLabels("spark-exec-resourceprofile-id", "0")
                    .addToLabels(KsparkPodsAllocator.RECONCILER_LABEL, "controller")
                .endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-executor").withImage("spark:4.1.1").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus()
                .build();
    }

    /** The executor pod after a delete request: deletion timestamp set, still running its grace period. */
    static Pod beingDeleted(Pod pod) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
    }

    /** A client for the plugin without fabric8's own retries, so that API failures reach the plugin. */
    static KubernetesClient clientWithoutRetries(KubernetesClient mockClient) {
        Config config = new ConfigBuilder(mockClient.getConfiguration()).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Spark's {@code Map[ResourceProfile, Int]} as Java sees it. */
    @SuppressWarnings("unchecked")
    static scala.collection.immutable.Map<ResourceProfile, Object> totals(Object... profileAndCount) {
        scala.collection.immutable.Map<ResourceProfile, Object> map = scala.collection.immutable.Map$.MODULE$.empty();
        for (int i = 0; i < profileAndCount.length; i += 2) {
            map = map.updated((ResourceProfile) profileAndCount[i], profileAndCount[i + 1]);
        }
        return map;
    }

    /** A Scala immutable List (a Seq on Scala 2.12 and 2.13), e.g. for {@code replaceSnapshot}. */
    @SuppressWarnings("deprecation")
    static <T> scala.collection.immutable.List<T> scalaList(List<T> items) {
        return scala.collection.JavaConverters.asScalaBufferConverter(items).asScala().toList();
    }

    /** The Spark version on the class path. */
    static String sparkVersion() {
        try {
            Class<?> pkg = Class.forName("org.apache.spark.package$");
            Object module = pkg.getField("MODULE$").get(null);
            return (String) pkg.getMethod("SPARK_VERSION").invoke(module);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
