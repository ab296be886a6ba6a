package io.kspark.k8s.steps;

import io.kspark.conf.CoreKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.SparkValues;
import io.kspark.conf.TcpPorts;
import io.kspark.conf.UserInputException;

/** The driver's ports as Spark resolves them, including its quirks in fallback order. */
public final class Ports {

    public static final int DEFAULT_DRIVER_PORT = 7078;
    public static final int DEFAULT_BLOCK_MANAGER_PORT = 7079;
    public static final int DEFAULT_CONNECT_PORT = 15002;

    private Ports() {
    }

    public static int driverPort(SparkConf conf) {
        return intOr(conf, CoreKeys.DRIVER_PORT, DEFAULT_DRIVER_PORT);
    }

    /** On the pod, Spark falls back from the driver key to spark.blockManager.port, then 7079. */
    public static int podBlockManagerPort(SparkConf conf) {
        return intOr(conf, CoreKeys.DRIVER_BLOCK_MANAGER_PORT, intOr(conf, CoreKeys.BLOCK_MANAGER_PORT, DEFAULT_BLOCK_MANAGER_PORT));
    }

    /** On the Service and in spark.properties Spark only looks at the driver key. */
    public static int serviceBlockManagerPort(SparkConf conf) {
        return intOr(conf, CoreKeys.DRIVER_BLOCK_MANAGER_PORT, DEFAULT_BLOCK_MANAGER_PORT);
    }

    public static int uiPort(SparkConf conf) {
        return conf.get(CoreKeys.UI_PORT);
    }

    public static int connectPort(SparkConf conf) {
        return intOr(conf, CoreKeys.CONNECT_GRPC_PORT, DEFAULT_CONNECT_PORT);
    }

    /**
     * The driver pod and its Service expose these ports, and the API server takes 1-65535 only: Spark's "0 = any
     * port" would be refused there (Spark itself finds out from a 422), so say which key before anything is created.
     */
    public static void checkDriverPorts(SparkConf conf) {
        checkExposable(CoreKeys.DRIVER_PORT, driverPort(conf));
        checkExposable(conf.contains(CoreKeys.DRIVER_BLOCK_MANAGER_PORT) ? CoreKeys.DRIVER_BLOCK_MANAGER_PORT : CoreKeys.BLOCK_MANAGER_PORT,
                podBlockManagerPort(conf));
        checkExposable(CoreKeys.DRIVER_BLOCK_MANAGER_PORT, serviceBlockManagerPort(conf));
        checkExposable(CoreKeys.UI_PORT.key(), uiPort(conf));
        checkExposable(CoreKeys.CONNECT_GRPC_PORT, connectPort(conf));
    }

    private static void checkExposable(String key, int port) {
        if (!TcpPorts.isValid(port)) {
            throw UserInputException.forKey(key, port + " cannot be a port of the driver pod and Service (Kubernetes takes 1-65535)");
        }
    }

    public static int intOr(SparkConf conf, String key, int defaultValue) {
        return conf.getOption(key).map(v -> {
            try {
                return SparkValues.integer(v);
            } catch (IllegalArgumentException e) {
                throw UserInputException.forKey(key, e.getMessage());
            }
        }).orElse(defaultValue);
    }
}
