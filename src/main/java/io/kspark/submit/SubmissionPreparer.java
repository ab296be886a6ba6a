package io.kspark.submit;

import io.kspark.conf.CoreKeys;
import io.kspark.conf.PropertiesFiles;
import io.kspark.conf.SparkConf;
import io.kspark.conf.SparkValues;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.k8s.MainResource;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Turns spark-submit arguments into the conf a Kubernetes cluster-mode driver receives, applying
 * spark-submit's precedence (command line, then {@code --properties-file}, then spark-defaults.conf,
 * then environment variables), its option-to-key mapping and its checks.
 */
public final class SubmissionPreparer {

    static final String PYTHON_RUNNER = "org.apache.spark.deploy.PythonRunner";
    static final String R_RUNNER = "org.apache.spark.deploy.RRunner";
    private static final Set<String> SHELLS = Set.of("spark-shell", "pyspark-shell", "sparkr-shell", "connect-shell");
    private static final Map<String, String> CLUSTER_MODE_UNSUPPORTED_CLASSES = Map.of(
            "org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver", "the Spark SQL shell",
            "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2", "the Spark Thrift server",
            "org.apache.spark.sql.connect.service.SparkConnectServer", "the Spark Connect server");

    private final LocalEnvironment env;
    private final Clock clock;

    public SubmissionPreparer(LocalEnvironment env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public PreparedSubmission prepare(SubmitArguments args) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> properties = sparkProperties(args, warnings);
        Resolved r = new Resolved(args, properties, env);

        if (r.primaryResource == null) {
            throw new UserInputException("missing primary resource: give the application jar, .py or .R file after the options");
        }
        // Named both ways: the value may come from the option, a --conf, a properties file or the environment.
        checkPositiveSize("--driver-memory (" + CoreKeys.DRIVER_MEMORY.key() + ")", r.driverMemory);
        checkPositiveSize("--executor-memory (" + CoreKeys.EXECUTOR_MEMORY.key() + ")", r.executorMemory);
        checkPositiveInt("--driver-cores (" + CoreKeys.DRIVER_CORES.key() + ")", r.driverCores);
        checkPositiveInt("--executor-cores (" + CoreKeys.EXECUTOR_CORES.key() + ")", r.executorCores);
        // Standalone's option, but spark-submit checks it (and spark.cores.max) on every cluster manager.
        checkPositiveInt("--total-executor-cores (" + CoreKeys.CORES_MAX + ")", r.totalExecutorCores);
        if (!r.dynamicAllocation) {
            checkPositiveInt("--num-executors (" + CoreKeys.EXECUTOR_INSTANCES + ")", r.numExecutors);
        }
        if (args.proxyUser() != null && r.principal != null) {
            throw new UserInputException("--proxy-user: only one of --proxy-user or --principal can be provided");
        }
        MasterUrl master = MasterUrl.parse("--master", r.master);
        master.warning().ifPresent(warnings::add);
        checkDeployMode(r.deployMode);
        if (SHELLS.contains(r.primaryResource)) {
            throw new UserInputException("primary resource: cluster deploy mode is not applicable to Spark shells");
        }
        if (r.mainClass != null && CLUSTER_MODE_UNSUPPORTED_CLASSES.containsKey(r.mainClass)) {
            throw new UserInputException("--class: cluster deploy mode is not applicable to " + CLUSTER_MODE_UNSUPPORTED_CLASSES.get(r.mainClass));
        }

        boolean python = isPython(r.primaryResource);
        boolean rApp = isR(r.primaryResource);
        String primary = resolvedPrimary(r.primaryResource);

        Map<String, String> conf = new LinkedHashMap<>(properties);
        setIfNotNull(conf, CoreKeys.MASTER, master.sparkMaster());
        conf.put(CoreKeys.DEPLOY_MODE, "cluster");
        setIfNotNull(conf, CoreKeys.APP_NAME, r.name);
        setIfNotNull(conf, CoreKeys.DRIVER_CLASS_PATH, r.driverClassPath);
        setIfNotNull(conf, CoreKeys.DRIVER_JAVA_OPTIONS, r.driverJavaOptions);
        setIfNotNull(conf, CoreKeys.DRIVER_LIBRARY_PATH, r.driverLibraryPath);
        setIfNotNull(conf, CoreKeys.PRINCIPAL, r.principal);
        setIfNotNull(conf, CoreKeys.KEYTAB, r.keytab);
        setIfNotNull(conf, CoreKeys.PY_FILES.key(), r.pyFiles);
        setIfNotNull(conf, CoreKeys.JAR_PACKAGES, r.packages);
        setIfNotNull(conf, CoreKeys.JAR_REPOSITORIES, r.repositories);
        setIfNotNull(conf, CoreKeys.JAR_IVY_PATH, r.ivyRepoPath);
        setIfNotNull(conf, CoreKeys.JAR_EXCLUDES, r.packagesExclusions);
        setIfNotNull(conf, CoreKeys.EXECUTOR_INSTANCES, r.numExecutors);
        setIfNotNull(conf, CoreKeys.EXECUTOR_CORES.key(), r.executorCores);
        setIfNotNull(conf, CoreKeys.EXECUTOR_MEMORY.key(), r.executorMemory);
        setIfNotNull(conf, CoreKeys.FILES.key(), r.files);
        setIfNotNull(conf, CoreKeys.ARCHIVES.key(), r.archives);
        setIfNotNull(conf, CoreKeys.JARS.key(), r.jars);
        setIfNotNull(conf, CoreKeys.DRIVER_MEMORY.key(), r.driverMemory);
        setIfNotNull(conf, CoreKeys.DRIVER_CORES.key(), r.driverCores);

        if (!python && !rApp && !MainResource.NO_RESOURCE.equals(primary)) {
            List<String> jars = new ArrayList<>(SparkValues.list(conf.getOrDefault(CoreKeys.JARS.key(), "")));
            jars.add(primary);
            conf.put(CoreKeys.JARS.key(), String.join(",", jars));
        }
        conf.remove(CoreKeys.DRIVER_HOST);
        for (String key : List.of(CoreKeys.JARS.key(), CoreKeys.FILES.key(), CoreKeys.ARCHIVES.key())) {
            if (conf.containsKey(key)) {
                conf.put(key, Uris.resolveAll(LocalGlobs.expand(key, conf.get(key), warnings)));
            }
        }
        conf.put(CoreKeys.PY_FILES.key(), Uris.resolveAll(LocalGlobs.expand(CoreKeys.PY_FILES.key(),
                conf.getOrDefault(CoreKeys.PY_FILES.key(), ""), warnings)));
        conf.putIfAbsent(CoreKeys.SUBMIT_TIME, Long.toString(clock.millis()));

        MainResource resource;
        String mainClass;
        if (python) {
            resource = new MainResource.Python(primary);
            mainClass = PYTHON_RUNNER;
        } else if (rApp) {
            resource = new MainResource.R(primary);
            mainClass = R_RUNNER;
        } else {
            resource = new MainResource.Java(Uris.isLocalFile(primary) ? MainResource.NO_RESOURCE : primary);
            mainClass = r.mainClass != null ? r.mainClass : mainClassOfLocalJar(primary);
        }
        return new PreparedSubmission(SparkConf.of(conf), master, resource, mainClass, args.appArgs(),
                Optional.ofNullable(args.proxyUser()), warnings);
    }

    /**
     * Like spark-submit without --class: the jar's manifest names the main class. Spark reads it through Hadoop's file
     * systems; kspark reads local jars only (a jar in the image, local://, cannot be read here either).
     */
    private static String mainClassOfLocalJar(String primary) {
        if (Uris.isLocalFile(primary)) {
            Path jar = Path.of(URI.create(Uris.resolve(primary)));
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                String mainClass = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
                if (mainClass != null && !mainClass.isBlank()) {
                    return mainClass.trim();
                }
                throw new UserInputException("--class: no main class set in " + jar + " (no Main-Class in its manifest); please specify one with --class");
            } catch (IOException e) {
                throw new UserInputException("--class: not given, and the main class cannot be read from " + jar + " (" + e.getMessage()
                        + "); please specify one with --class");
            }
        }
        throw new UserInputException("--class: the main class is required for JVM applications (kspark reads it only from a local jar's manifest)");
    }

    /** --conf pairs, then the properties file and spark-defaults.conf for keys still missing. */
    private Map<String, String> sparkProperties(SubmitArguments args, List<String> warnings) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : args.conf()) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new UserInputException("--conf: expected key=value, but got '" + pair + "'");
            }
            // "=value" has the empty key, which is not a Spark key: dropped with a warning below, as spark-submit does.
            properties.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        if (args.propertiesFile() != null) {
            PropertiesFiles.load("--properties-file", args.propertiesFile()).forEach(properties::putIfAbsent);
        }
        if (args.propertiesFile() == null || args.loadSparkDefaults()) {
            SparkDefaults.file(env).ifPresent(file -> PropertiesFiles.load("spark-defaults.conf", file).forEach(properties::putIfAbsent));
        }
        properties.keySet().removeIf(key -> {
            boolean ignored = !key.startsWith("spark.");
            if (ignored) {
                warnings.add("Ignoring non-Spark config property: " + key);
            }
            return ignored;
        });
        return properties;
    }

    private static void checkDeployMode(String deployMode) {
        if (deployMode == null) {
            // spark-submit would start a client-mode driver here; a forgotten flag must not look like a submission.
            throw new UserInputException("--deploy-mode: not set; kspark submits with --deploy-mode cluster"
                    + " (spark-submit's default, client, runs the driver on this machine: see 'kspark submit --deploy-mode client')");
        }
        if (deployMode.equals("client")) {
            throw new ClientModeException();
        }
        if (!deployMode.equals("cluster")) {
            throw new UserInputException("--deploy-mode: must be either \"client\" or \"cluster\", but was '" + deployMode + "'");
        }
    }

    private static String resolvedPrimary(String primaryResource) {
        if (SHELLS.contains(primaryResource) || MainResource.NO_RESOURCE.equals(primaryResource)) {
            return primaryResource;
        }
        return Uris.resolve(primaryResource);
    }

    static boolean isPython(String resource) {
        return resource.endsWith(".py") || resource.equals("pyspark-shell");
    }

    static boolean isR(String resource) {
        return resource.endsWith(".R") || resource.endsWith(".r") || resource.equals("sparkr-shell");
    }

    private static void setIfNotNull(Map<String, String> conf, String key, String value) {
        if (value != null) {
            conf.put(key, value);
        }
    }

    private static void checkPositiveSize(String option, String value) {
        if (value == null) {
            return;
        }
        long bytes;
        try {
            bytes = SparkValues.bytesAs(value, 1);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(option + ": " + e.getMessage());
        }
        if (bytes <= 0) {
            throw new UserInputException(option + ": must be a positive size, but was '" + value + "'");
        }
    }

    private static void checkPositiveInt(String option, String value) {
        if (value == null) {
            return;
        }
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number <= 0) {
            throw new UserInputException(option + ": must be a positive number, but was '" + value + "'");
        }
    }

    /** Option values after falling back to properties and environment variables, as spark-submit does. */
    private static final class Resolved {
        final String master;
        final String deployMode;
        final String name;
        final String mainClass;
        final String primaryResource;
        final String driverMemory;
        final String driverCores;
        final String executorMemory;
        final String executorCores;
        final String numExecutors;
        final String totalExecutorCores;
        final String driverClassPath;
        final String driverJavaOptions;
        final String driverLibraryPath;
        final String jars;
        final String files;
        final String archives;
        final String pyFiles;
        final String packages;
        final String repositories;
        final String packagesExclusions;
        final String ivyRepoPath;
        final String principal;
        final String keytab;
        final boolean dynamicAllocation;

        Resolved(SubmitArguments a, Map<String, String> p, LocalEnvironment env) {
            master = first(a.master(), p.get(CoreKeys.MASTER), env.getenv("MASTER").orElse(null));
            deployMode = first(a.deployMode(), p.get(CoreKeys.DEPLOY_MODE), env.getenv("DEPLOY_MODE").orElse(null));
            mainClass = a.mainClass();
            primaryResource = a.primaryResource();
            driverMemory = first(a.driverMemory(), p.get(CoreKeys.DRIVER_MEMORY.key()), env.getenv("SPARK_DRIVER_MEMORY").orElse(null));
            driverCores = first(a.driverCores(), p.get(CoreKeys.DRIVER_CORES.key()));
            executorMemory = first(a.executorMemory(), p.get(CoreKeys.EXECUTOR_MEMORY.key()), env.getenv("SPARK_EXECUTOR_MEMORY").orElse(null));
            executorCores = first(a.executorCores(), p.get(CoreKeys.EXECUTOR_CORES.key()), env.getenv("SPARK_EXECUTOR_CORES").orElse(null));
            numExecutors = first(a.numExecutors(), p.get(CoreKeys.EXECUTOR_INSTANCES));
            totalExecutorCores = first(a.totalExecutorCores(), p.get(CoreKeys.CORES_MAX));
            driverClassPath = first(a.driverClassPath(), p.get(CoreKeys.DRIVER_CLASS_PATH));
            driverJavaOptions = first(a.driverJavaOptions(), p.get(CoreKeys.DRIVER_JAVA_OPTIONS));
            driverLibraryPath = first(a.driverLibraryPath(), p.get(CoreKeys.DRIVER_LIBRARY_PATH));
            jars = first(Uris.resolveAllOrNull(a.jars()), p.get(CoreKeys.JARS.key()));
            files = first(Uris.resolveAllOrNull(a.files()), p.get(CoreKeys.FILES.key()));
            archives = first(Uris.resolveAllOrNull(a.archives()), p.get(CoreKeys.ARCHIVES.key()));
            pyFiles = first(Uris.resolveAllOrNull(a.pyFiles()), p.get(CoreKeys.PY_FILES.key()));
            packages = first(a.packages(), p.get(CoreKeys.JAR_PACKAGES));
            repositories = first(a.repositories(), p.get(CoreKeys.JAR_REPOSITORIES));
            packagesExclusions = first(a.excludePackages(), p.get(CoreKeys.JAR_EXCLUDES));
            ivyRepoPath = p.get(CoreKeys.JAR_IVY_PATH);
            principal = first(a.principal(), p.get(CoreKeys.PRINCIPAL), p.get("spark.yarn.principal"));
            keytab = first(a.keytab(), p.get(CoreKeys.KEYTAB), p.get("spark.yarn.keytab"));
            dynamicAllocation = "true".equalsIgnoreCase(p.get(CoreKeys.DYN_ALLOCATION_ENABLED.key()));
            String appName = first(a.name(), p.get(CoreKeys.APP_NAME), mainClass);
            if (appName == null && primaryResource != null) {
                appName = new File(primaryResource).getName();
            }
            name = appName;
        }

        private static String first(String... values) {
            for (String v : values) {
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }
}
