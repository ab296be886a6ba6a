package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.MainResource;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.util.Map;
import java.util.Optional;

/**
 * The driver container's arguments for Spark's entrypoint
 * ({@code driver --properties-file ... --class <main> <resource> <args>}) and PySpark's Python choice.
 */
public final class DriverCommandStep implements FeatureStep {

    private final DriverConf conf;

    public DriverCommandStep(DriverConf conf) {
        this.conf = conf;
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.DriverCommandFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        ContainerBuilder container = new ContainerBuilder(pod.container()).addToArgs("driver");
        conf.proxyUser().ifPresent(user -> container.addToArgs("--proxy-user", user));
        container.addToArgs("--properties-file", "/opt/spark/conf/spark.properties")
                .addToArgs("--class", conf.mainClass())
                .addToArgs(conf.mainResource().uri())
                .addToArgs(conf.appArgs().toArray(String[]::new));
        if (conf.mainResource() instanceof MainResource.Python) {
            Optional<String> python = conf.conf().getOption(CoreKeys.PYSPARK_PYTHON);
            Optional<String> driverPython = conf.conf().getOption(CoreKeys.PYSPARK_DRIVER_PYTHON).or(() -> python);
            container.addAllToEnv(new EnvVars()
                    .add("PYSPARK_PYTHON", python.or(() -> conf.env().getenv("PYSPARK_PYTHON")).orElse(null))
                    .add("PYSPARK_DRIVER_PYTHON", driverPython
                            .or(() -> conf.env().getenv("PYSPARK_DRIVER_PYTHON"))
                            .or(() -> conf.env().getenv("PYSPARK_PYTHON")).orElse(null))
                    .build());
        }
        return StepResult.of(pod.withContainer(container.build()))
                .withProperties(Map.of(KubernetesKeys.APP_RESOURCE_TYPE.key(), conf.mainResource().appType()));
    }
}
