package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.kspark.conf.ConfEntry;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What driver and executor pods read alike from the conf (Spark's {@code KubernetesConf}). */
public interface PodConf {

    SparkConf conf();

    PodRole role();

    String appId();

    String resourceNamePrefix();

    /** The id substituted for {@code {{EXECUTOR_ID}}} ("" for the driver). */
    String executorIdForSubstitution();

    default String appName() {
        return conf().get("spark.app.name", "spark");
    }

    default String namespace() {
        String namespace = conf().get(KubernetesKeys.NAMESPACE);
        if (!Names.isDnsLabel(namespace)) {
            throw UserInputException.forKey(KubernetesKeys.NAMESPACE.key(), "'" + namespace
                    + "' is not a valid namespace (a lower-case DNS label: a-z, 0-9, '-', at most 63 characters)");
        }
        return namespace;
    }

    /**
     * The role's own image, else spark.kubernetes.container.image, with {@code {{SPARK_VERSION}}} substituted; required,
     * and not empty (as a later {@code --conf key=} could leave it).
     */
    default String containerImage(ConfEntry<String> roleImage) {
        ConfEntry<String> key = conf().contains(roleImage) ? roleImage : KubernetesKeys.CONTAINER_IMAGE;
        String image = conf().getOptional(key).orElseThrow(() -> UserInputException.forKey(KubernetesKeys.CONTAINER_IMAGE.key(),
                "is required (or set " + roleImage.key() + ")"));
        if (image.isBlank()) {
            throw UserInputException.forKey(key.key(), "the container image must not be empty");
        }
        return SparkVersion.substitute(image);
    }

    default String imagePullPolicy() {
        return conf().get(KubernetesKeys.IMAGE_PULL_POLICY);
    }

    default List<LocalObjectReference> imagePullSecrets() {
        return conf().get(KubernetesKeys.IMAGE_PULL_SECRETS).stream().map(LocalObjectReference::new).toList();
    }

    /** Global node selector then the role's own, so the role's wins on equal keys. */
    default Map<String, String> nodeSelector() {
        Map<String, String> global = conf().withPrefix(KubernetesKeys.NODE_SELECTOR_PREFIX);
        Map<String, String> own = conf().withPrefix(role().nodeSelectorPrefix());
        // Node selector entries follow the label rules (they match node labels).
        Names.checkLabels(KubernetesKeys.NODE_SELECTOR_PREFIX, global);
        Names.checkLabels(role().nodeSelectorPrefix(), own);
        Map<String, String> selector = new LinkedHashMap<>(global);
        selector.putAll(own);
        return selector;
    }

    default Map<String, String> annotations() {
        Map<String, String> raw = conf().withPrefix(role().annotationPrefix());
        Names.checkAnnotationKeys(role().annotationPrefix(), raw);
        Map<String, String> result = new LinkedHashMap<>();
        raw.forEach((k, v) -> result.put(k, substituteIds(v)));
        return result;
    }

    default Map<String, String> secretNamesToMountPaths() {
        return conf().withPrefix(role().secretsPrefix());
    }

    default Map<String, String> secretEnvNamesToKeyRefs() {
        return conf().withPrefix(role().secretKeyRefPrefix());
    }

    default List<VolumeSpec> volumes() {
        return VolumeSpecs.parse(conf(), role());
    }

    /** Spark's {@code {{APP_ID}}} / {@code {{EXECUTOR_ID}}} placeholders in labels, annotations, options. */
    default String substituteIds(String value) {
        return value.replace("{{APP_ID}}", appId()).replace("{{EXECUTOR_ID}}", executorIdForSubstitution());
    }
}
