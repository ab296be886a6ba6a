package io.kspark.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every executor of one application shares, as the driver sees it: the driver's Spark conf
 * (its spark.properties plus the executor name prefix), the driver pod that owns executors, the
 * driver container's environment, the executor ConfigMap and the executor pod template. Built once
 * per application; all of it can be read back from the API server.
 *
 * @param confFileNames files of the driver's conf dir that executors mount from the executor ConfigMap
 * @param authSecret    value for {@code SPARK_AUTHENTICATE_SECRET} when spark.authenticate is on
 */
public record ExecutorContext(SparkConf conf,
                              String appId,
                              Optional<Pod> driverPod,
                              Map<String, String> driverEnv,
                              String userName,
                              String configMapName,
                              List<String> confFileNames,
                              Optional<Pod> podTemplate,
                              Optional<String> authSecret,
                              String defaultLocalDir) {

    public ExecutorContext {
        driverEnv = Map.copyOf(driverEnv);
        confFileNames = List.copyOf(confFileNames);
    }

    public String executorPodNamePrefix() {
        return conf.getOptional(KubernetesKeys.EXECUTOR_POD_NAME_PREFIX)
                .orElseThrow(() -> new IllegalStateException("executor pod name prefix not set"));
    }

    public String podName(long executorId) {
        return executorPodNamePrefix() + "-exec-" + executorId;
    }
}
