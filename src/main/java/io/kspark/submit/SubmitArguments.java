package io.kspark.submit;

import java.util.List;

/**
 * spark-submit's arguments as the user typed them (unset options are null), before any defaults,
 * properties files or environment variables are applied.
 */
public record SubmitArguments(String master,
                              String deployMode,
                              String name,
                              String mainClass,
                              List<String> conf,
                              String propertiesFile,
                              boolean loadSparkDefaults,
                              String jars,
                              String files,
                              String pyFiles,
                              String archives,
                              String packages,
                              String repositories,
                              String excludePackages,
                              String driverMemory,
                              String driverCores,
                              String executorMemory,
                              String executorCores,
                              String numExecutors,
                              String totalExecutorCores,
                              String driverJavaOptions,
                              String driverClassPath,
                              String driverLibraryPath,
                              String proxyUser,
                              String principal,
                              String keytab,
                              boolean verbose,
                              String primaryResource,
                              List<String> appArgs) {

    public SubmitArguments {
        conf = conf == null ? List.of() : List.copyOf(conf);
        appArgs = appArgs == null ? List.of() : List.copyOf(appArgs);
    }
}
