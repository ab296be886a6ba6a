package io.kspark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.client.KubernetesClients;
import io.kspark.client.Urls;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.PropertiesFiles;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.submit.MasterUrl;
import io.kspark.submit.SparkDefaults;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How commands that talk to a cluster find it, as spark-submit's --status and --kill do: the master from --master, else
 * spark.master (from --conf, --properties-file or spark-defaults.conf), else $MASTER, and only then the kubeconfig's
 * current cluster; Spark's conf from --conf, then the properties file, else spark-defaults.conf.
 */
public class ClusterOptions {

    @Option(names = "--master", paramLabel = "k8s://URL",
            description = "Kubernetes API server (default: spark.master, then $MASTER, then the current kubeconfig context).")
    String master;

    @Option(names = {"--conf", "-c"}, paramLabel = "KEY=VALUE",
            description = "Spark configuration property, e.g. spark.kubernetes.context or spark.kubernetes.authenticate.submission.* (repeatable).")
    List<String> conf = new ArrayList<>();

    @Option(names = "--properties-file", paramLabel = "FILE", description = "Properties file with more Spark configuration.")
    String propertiesFile;

    LocalEnvironment env = LocalEnvironment.system();

    private String serverTried;

    static ClusterOptions of(String master, List<String> conf, String propertiesFile) {
        ClusterOptions options = new ClusterOptions();
        options.master = master;
        options.conf = conf;
        options.propertiesFile = propertiesFile;
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
        } else {
            SparkDefaults.file(env).ifPresent(file -> PropertiesFiles.load("spark-defaults.conf", file).forEach(values::putIfAbsent));
        }
        return SparkConf.of(values);
    }

    /** The API server to use; empty: the kubeconfig's. Each source is named in its error. */
    Optional<String> apiServer() {
        return apiServer(sparkConf());
    }

    private Optional<String> apiServer(SparkConf conf) {
        if (master != null) {
            return Optional.of(MasterUrl.parse("--master", master).apiServer());
        }
        Optional<String> configured = conf.getOption(CoreKeys.MASTER);
        if (configured.isPresent()) {
            return Optional.of(MasterUrl.parse(CoreKeys.MASTER, configured.get()).apiServer());
        }
        return env.getenv("MASTER").map(m -> MasterUrl.parse("MASTER", m).apiServer());
    }

    KubernetesClient client(Optional<String> namespace) {
        SparkConf conf = sparkConf(); // read once: it may come from files
        KubernetesClient client = KubernetesClients.forSubmission(apiServer(conf), namespace, conf);
        serverTried = client.getMasterUrl().toString();
        return client;
    }

    Optional<String> serverTried() {
        return Optional.ofNullable(serverTried);
    }

    /** The master of the cluster talked to, as spark-submit names it in its messages (k8s://..., no credentials). */
    Optional<String> masterTried() {
        return serverTried().map(url -> MasterUrl.PREFIX + Urls.withoutUserInfo(url).replaceAll("/$", ""));
    }
}
