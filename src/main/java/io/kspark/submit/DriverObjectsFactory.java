package io.kspark.submit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.PropertiesFiles;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.DriverSpec;
import io.kspark.k8s.ExecutorContexts;
import io.kspark.k8s.IdGenerator;
import io.kspark.k8s.Names;
import io.kspark.k8s.SparkConfDirFiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finishes the driver objects as Spark's submission client does: writes the resolved conf to
 * spark.properties in a new {@code spark-drv-<id>-conf-map}, mounts it at /opt/spark/conf and
 * attaches the driver container.
 */
public final class DriverObjectsFactory {

    public static final String CONF_VOLUME = "spark-conf-volume-driver";
    public static final String CONF_DIR = "/opt/spark/conf";

    private DriverObjectsFactory() {
    }

    public static DriverObjects create(DriverConf conf, DriverSpec spec, IdGenerator ids) {
        String namespace = conf.namespace();
        String configMapName = Names.configMapName("spark-drv-" + ids.uniqueId());
        Map<String, String> confFiles = new LinkedHashMap<>(SparkConfDirFiles.load(conf.env(), conf.conf()));
        if (!spec.sparkProperties().isEmpty()) {
            confFiles.put(ExecutorContexts.PROPERTIES_KEY, PropertiesFiles.store(
                    "Java properties built from Kubernetes config map with name: " + configMapName, spec.sparkProperties()));
        }
        Map<String, String> data = new LinkedHashMap<>(confFiles);
        data.put(KubernetesKeys.NAMESPACE.key(), namespace);
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(configMapName).withNamespace(namespace).endMetadata()
                .withImmutable(true)
                .addToData(data)
                .build();
        List<KeyToPath> items = new TreeMap<>(confFiles).keySet().stream().map(k -> new KeyToPath(k, 420, k)).toList();
        Pod pod = new PodBuilder(spec.pod().pod())
                .editOrNewMetadata().withNamespace(namespace).endMetadata()
                .editSpec()
                    .addToContainers(new ContainerBuilder(spec.pod().container())
                            .addNewEnv().withName("SPARK_CONF_DIR").withValue(CONF_DIR).endEnv()
                            .addNewVolumeMount().withName(CONF_VOLUME).withMountPath(CONF_DIR).endVolumeMount()
                            .build())
                    .addNewVolume().withName(CONF_VOLUME).withNewConfigMap().withItems(items).withName(configMapName).endConfigMap().endVolume()
                .endSpec()
                .build();
        List<HasMetadata> owned = new ArrayList<>();
        for (HasMetadata resource : spec.resources()) {
            owned.add(inNamespace(resource, namespace));
        }
        owned.add(configMap);
        return new DriverObjects(namespace, conf.appId(), pod, owned, configMap);
    }

    private static HasMetadata inNamespace(HasMetadata resource, String namespace) {
        HasMetadata copy = Copies.of(resource);
        copy.getMetadata().setNamespace(namespace);
        return copy;
    }
}
