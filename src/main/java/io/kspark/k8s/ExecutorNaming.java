package io.kspark.k8s;

/**
 * The names a driver picks once for all its executors.
 *
 * @param prefixUniqueId  id for the executor name prefix when spark.kubernetes.executor.podNamePrefix is unset
 * @param configMapName   the executor ConfigMap
 * @param defaultLocalDir the generated local dir used when the driver has none configured
 */
public record ExecutorNaming(String prefixUniqueId, String configMapName, String defaultLocalDir) {

    public static ExecutorNaming random(IdGenerator ids) {
        return new ExecutorNaming(ids.uniqueId(), Names.configMapName("spark-exec-" + ids.uniqueId()), "/var/data/spark-" + ids.uuid());
    }
}
