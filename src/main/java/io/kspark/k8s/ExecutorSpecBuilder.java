package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.k8s.steps.BasicExecutorStep;
import io.kspark.k8s.steps.EnvSecretsStep;
import io.kspark.k8s.steps.ExecutorServiceAccountStep;
import io.kspark.k8s.steps.HadoopConfExecutorStep;
import io.kspark.k8s.steps.LocalDirsStep;
import io.kspark.k8s.steps.MountSecretsStep;
import io.kspark.k8s.steps.MountVolumesStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds executor pods as Spark's executor builder does inside the driver. */
public final class ExecutorSpecBuilder {

    private ExecutorSpecBuilder() {
    }

    /** The executor pod kspark creates; custom feature steps (Spark classes) are refused, kspark cannot run them. */
    public static ExecutorSpec build(ExecutorConf conf) {
        FeatureSteps.rejectCustomSteps(conf.conf(), KubernetesKeys.EXECUTOR_FEATURE_STEPS);
        return buildWithoutCustomSteps(conf);
    }

    /**
     * The pod Spark's own builder makes before it runs spark.kubernetes.executor.pod.featureSteps: what a preview can
     * show of an app whose driver (a JVM with the app's jars) will run its custom steps.
     */
    public static ExecutorSpec buildWithoutCustomSteps(ExecutorConf conf) {
        SparkConf sc = conf.conf();
        SparkPod initial = conf.context().podTemplate()
                .map(pod -> PodTemplates.selectSparkContainer(pod, sc.getOptional(KubernetesKeys.EXECUTOR_POD_TEMPLATE_CONTAINER)))
                .orElseGet(SparkPod::initial);
        List<FeatureStep> steps = List.of(
                new BasicExecutorStep(conf),
                new ExecutorServiceAccountStep(conf),
                new MountSecretsStep(conf),
                new EnvSecretsStep(conf),
                MountVolumesStep.forExecutor(conf, conf.executorId()),
                new HadoopConfExecutorStep(conf),
                new LocalDirsStep(conf, Optional.ofNullable(conf.context().driverEnv().get("SPARK_LOCAL_DIRS")),
                        conf.context().defaultLocalDir()));
        SparkPod pod = initial;
        List<HasMetadata> resources = new ArrayList<>();
        for (FeatureStep step : FeatureSteps.withoutExcluded(steps, sc, KubernetesKeys.EXECUTOR_EXCLUDED_FEATURE_STEPS)) {
            StepResult result = step.apply(pod);
            pod = result.pod();
            resources.addAll(result.resources());
        }
        return new ExecutorSpec(pod.assembled(), resources);
    }
}
