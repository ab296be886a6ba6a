package io.kspark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.client.KubernetesClients;
import io.kspark.conf.PropertiesFiles;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.submit.MasterUrl;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How commands that talk to a cluster find it: --master (else kubeconfig) and Spark's --conf keys. */
public class ClusterOptions {

    @Option(names = "--master", paramLabel = "k8s://URL", description = "Kubernetes API server (default: the current kubeconfig context).")
    String master;

    @Option(names = {"--conf", "-c"}, paramLabel = "KEY=VALUE",
            description = "Spark configuration property, e.g. spark.kubernetes.context or spark.kubernetes.authenticate.submission.* (repeatable).")
    List<String> conf = new ArrayList<>();

    @Option(names = "--properties-file", paramLabel = "FILE", description = "Properties file with more Spark configuration.")
    String propertiesFile;

    private String serverTried;

    static ClusterOptions of(String master, List<String> conf) {
        ClusterOptions options = new ClusterOptions();
        options.master = master;
        options.conf = conf;
        return options;
    }

    SparkConf sparkConf() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : conf) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("--conf: expected key=value, but got '" + pair + "'");
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        if (propertiesFile != null) {
            PropertiesFiles.load("--properties-file", propertiesFile).forEach(values::putIfAbsent);
        }
        return SparkConf.of(values);
    }

    Optional<String> apiServer() {
        return Optional.ofNullable(master).map(m -> MasterUrl.parse("--master", m).apiServer());
    }

    KubernetesClient client(Optional<String> namespace) {
        KubernetesClient client = KubernetesClients.forSubmission(apiServer(), namespace, sparkConf());
        serverTried = client.getMasterUrl().toString();
        return client;
    }

    Optional<String> serverTried() {
        return Optional.ofNullable(serverTried);
    }
}
