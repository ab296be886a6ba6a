package io.kspark.conf;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Spark's general (not Kubernetes-specific) conf keys that submission and executor pods depend on. */
public final class CoreKeys {

    public static final String MASTER = "spark.master";
    public static final String APP_NAME = "spark.app.name";
    public static final String APP_ID = "spark.app.id";
    public static final String SUBMIT_TIME = "spark.app.submitTime";
    public static final String DEPLOY_MODE = "spark.submit.deployMode";

    public static final ConfEntry<Integer> DRIVER_CORES = ConfEntry.integer("spark.driver.cores", 1);
    public static final ConfEntry<Long> DRIVER_MEMORY = ConfEntry.mebibytes("spark.driver.memory", "1g");
    public static final ConfEntry<Long> DRIVER_MEMORY_OVERHEAD = ConfEntry.mebibytes("spark.driver.memoryOverhead", null);
    public static final ConfEntry<Long> DRIVER_MIN_MEMORY_OVERHEAD = ConfEntry.mebibytes("spark.driver.minMemoryOverhead", "384m");
    public static final ConfEntry<Double> DRIVER_MEMORY_OVERHEAD_FACTOR = ConfEntry.decimal("spark.driver.memoryOverheadFactor", 0.1)
            .checked(f -> f > 0, "must be greater than 0");
    public static final String DRIVER_CLASS_PATH = "spark.driver.extraClassPath";
    public static final String DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions";
    public static final String DRIVER_LIBRARY_PATH = "spark.driver.extraLibraryPath";
    public static final String DRIVER_HOST = "spark.driver.host";
    public static final String DRIVER_BIND_ADDRESS = "spark.driver.bindAddress";
    public static final String DRIVER_PORT = "spark.driver.port";
    public static final String DRIVER_BLOCK_MANAGER_PORT = "spark.driver.blockManager.port";
    public static final String BLOCK_MANAGER_PORT = "spark.blockManager.port";
    public static final ConfEntry<Integer> UI_PORT = ConfEntry.integer("spark.ui.port", 4040);
    public static final String CONNECT_GRPC_PORT = "spark.connect.grpc.binding.port";

    public static final ConfEntry<Integer> EXECUTOR_CORES = ConfEntry.integer("spark.executor.cores", 1);
    public static final ConfEntry<Long> EXECUTOR_MEMORY = ConfEntry.mebibytes("spark.executor.memory", "1g");
    public static final ConfEntry<Long> EXECUTOR_MEMORY_OVERHEAD = ConfEntry.mebibytes("spark.executor.memoryOverhead", null);
    public static final ConfEntry<Long> EXECUTOR_MIN_MEMORY_OVERHEAD = ConfEntry.mebibytes("spark.executor.minMemoryOverhead", "384m");
    public static final ConfEntry<Double> EXECUTOR_MEMORY_OVERHEAD_FACTOR = ConfEntry.decimal("spark.executor.memoryOverheadFactor", 0.1)
            .checked(f -> f > 0, "must be greater than 0");
    public static final ConfEntry<Long> PYSPARK_EXECUTOR_MEMORY = ConfEntry.mebibytes("spark.executor.pyspark.memory", null);
    public static final ConfEntry<Boolean> OFF_HEAP_ENABLED = ConfEntry.bool("spark.memory.offHeap.enabled", false);
    public static final ConfEntry<Long> OFF_HEAP_SIZE = ConfEntry.bytes("spark.memory.offHeap.size", "0");
    public static final String EXECUTOR_INSTANCES = "spark.executor.instances";
    public static final String CORES_MAX = "spark.cores.max";
    public static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";
    /** Prepended to {@link #EXECUTOR_JAVA_OPTIONS} (an administrator's defaults, in spark-defaults.conf). */
    public static final String EXECUTOR_DEFAULT_JAVA_OPTIONS = "spark.executor.defaultJavaOptions";
    public static final String EXECUTOR_CLASS_PATH = "spark.executor.extraClassPath";
    public static final String EXECUTOR_ENV_PREFIX = "spark.executorEnv.";
    public static final String EXECUTOR_LOG_URL = "spark.ui.custom.executor.log.url";
    public static final ConfEntry<Integer> MAX_EXECUTOR_FAILURES = ConfEntry.integer("spark.executor.maxNumFailures", null);
    /** Failures older than this no longer count towards spark.executor.maxNumFailures (unset: they never expire). */
    public static final ConfEntry<Long> EXECUTOR_FAILURES_VALIDITY_INTERVAL =
            ConfEntry.time("spark.executor.failuresValidityInterval", TimeUnit.MILLISECONDS, null);

    public static final ConfEntry<List<String>> JARS = ConfEntry.list("spark.jars");
    public static final ConfEntry<List<String>> FILES = ConfEntry.list("spark.files");
    public static final ConfEntry<List<String>> ARCHIVES = ConfEntry.list("spark.archives");
    public static final ConfEntry<List<String>> PY_FILES = ConfEntry.list("spark.submit.pyFiles");
    public static final String JAR_PACKAGES = "spark.jars.packages";
    public static final String JAR_REPOSITORIES = "spark.jars.repositories";
    public static final String JAR_EXCLUDES = "spark.jars.excludes";
    public static final String JAR_IVY_PATH = "spark.jars.ivy";

    public static final String PYSPARK_PYTHON = "spark.pyspark.python";
    public static final String PYSPARK_DRIVER_PYTHON = "spark.pyspark.driver.python";

    public static final String PRINCIPAL = "spark.kerberos.principal";
    public static final String KEYTAB = "spark.kerberos.keytab";

    public static final ConfEntry<Boolean> DECOMMISSION_ENABLED = ConfEntry.bool("spark.decommission.enabled", false);
    public static final ConfEntry<Boolean> AUTHENTICATE = ConfEntry.bool("spark.authenticate", false);
    public static final String AUTH_SECRET_FILE = "spark.authenticate.secret.file";
    public static final String AUTH_SECRET_FILE_EXECUTOR = "spark.authenticate.secret.executor.file";

    public static final ConfEntry<Boolean> DYN_ALLOCATION_ENABLED = ConfEntry.bool("spark.dynamicAllocation.enabled", false);
    public static final ConfEntry<Integer> DYN_ALLOCATION_MIN = ConfEntry.integer("spark.dynamicAllocation.minExecutors", 0);
    public static final ConfEntry<Integer> DYN_ALLOCATION_MAX = ConfEntry.integer("spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
    public static final String DYN_ALLOCATION_INITIAL = "spark.dynamicAllocation.initialExecutors";
    public static final ConfEntry<Long> DYN_ALLOCATION_IDLE_TIMEOUT =
            ConfEntry.time("spark.dynamicAllocation.executorIdleTimeout", TimeUnit.SECONDS, "60s");

    public static final String DRIVER_RESOURCE_PREFIX = "spark.driver.resource.";
    public static final String EXECUTOR_RESOURCE_PREFIX = "spark.executor.resource.";

    private CoreKeys() {
    }

    /**
     * Whether executors read spark.authenticate's secret from a file of their own (spark.authenticate.secret.executor.file,
     * which Spark declares with spark.authenticate.secret.file as its fallback) rather than get it in their env.
     */
    public static boolean executorsReadSecretFile(SparkConf conf) {
        return conf.contains(AUTH_SECRET_FILE_EXECUTOR) || conf.contains(AUTH_SECRET_FILE);
    }
}
