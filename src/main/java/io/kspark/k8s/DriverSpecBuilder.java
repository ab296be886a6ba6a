package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.k8s.steps.BasicDriverStep;
import io.kspark.k8s.steps.DriverCommandStep;
import io.kspark.k8s.steps.DriverCredentialsStep;
import io.kspark.k8s.steps.DriverServiceStep;
import io.kspark.k8s.steps.EnvSecretsStep;
import io.kspark.k8s.steps.HadoopConfDriverStep;
import io.kspark.k8s.steps.KerberosStep;
import io.kspark.k8s.steps.LocalDirsStep;
import io.kspark.k8s.steps.MountSecretsStep;
import io.kspark.k8s.steps.MountVolumesStep;
import io.kspark.k8s.steps.PodTemplateConfigMapStep;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the driver pod by folding Spark's driver steps, in Spark's order, over the initial pod (the
 * driver template or an empty pod). All validation happens while constructing the steps, so bad conf
 * fails before anything is created.
 */
public final class DriverSpecBuilder {

    private DriverSpecBuilder() {
    }

    public static DriverSpec build(DriverConf conf) {
        SparkConf sc = conf.conf();
        FeatureSteps.rejectCustomSteps(sc, KubernetesKeys.DRIVER_FEATURE_STEPS);
        // Spark parses executor volumes at submission so that bad executor conf fails early too.
        VolumeSpecs.parse(sc, PodRole.EXECUTOR);
        SparkPod initial = sc.getOptional(KubernetesKeys.DRIVER_POD_TEMPLATE_FILE)
                .map(file -> PodTemplates.readTemplateText(conf.env(), KubernetesKeys.DRIVER_POD_TEMPLATE_FILE.key(), file))
                .map(text -> PodTemplates.parse(KubernetesKeys.DRIVER_POD_TEMPLATE_FILE.key(), text))
                .map(pod -> PodTemplates.selectSparkContainer(pod, sc.getOptional(KubernetesKeys.DRIVER_POD_TEMPLATE_CONTAINER)))
                .orElseGet(SparkPod::initial);
        Optional<String> executorTemplate = sc.getOptional(KubernetesKeys.EXECUTOR_POD_TEMPLATE_FILE)
                .map(file -> PodTemplates.readTemplateText(conf.env(), KubernetesKeys.EXECUTOR_POD_TEMPLATE_FILE.key(), file));
        executorTemplate.ifPresent(text -> PodTemplates.parse(KubernetesKeys.EXECUTOR_POD_TEMPLATE_FILE.key(), text));
        List<FeatureStep> steps = List.of(
                new BasicDriverStep(conf),
                new DriverCredentialsStep(conf),
                new DriverServiceStep(conf),
                new MountSecretsStep(conf),
                new EnvSecretsStep(conf),
                MountVolumesStep.forDriver(conf),
                new DriverCommandStep(conf),
                new HadoopConfDriverStep(conf),
                new KerberosStep(conf),
                new PodTemplateConfigMapStep(conf, executorTemplate),
                new LocalDirsStep(conf, conf.env().getenv("SPARK_LOCAL_DIRS"), conf.defaultLocalDir()));
        DriverSpec spec = new DriverSpec(initial, List.of(), sc.asMap());
        for (FeatureStep step : FeatureSteps.withoutExcluded(steps, sc, KubernetesKeys.DRIVER_EXCLUDED_FEATURE_STEPS)) {
            spec = spec.plus(step.apply(spec.pod()));
        }
        return spec;
    }

    /** The driver pod exactly as Spark would submit it before adding its conf volume. */
    public static Pod assembledPod(DriverSpec spec) {
        return spec.pod().assembled();
    }

    static Map<String, String> properties(DriverSpec spec) {
        return spec.sparkProperties();
    }
}
