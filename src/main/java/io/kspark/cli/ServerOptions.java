package io.kspark.cli;

import io.kspark.submit.MasterUrl;
import picocli.CommandLine.Option;

import java.util.Optional;

/** Where long-running commands find the API server: --master, else kubeconfig or the in-cluster service account. */
public class ServerOptions {

    @Option(names = "--master", paramLabel = "k8s://URL",
            description = "Kubernetes API server (default: the in-cluster service account, else the current kubeconfig context).")
    String master;

    Optional<String> apiServer() {
        return Optional.ofNullable(master).map(m -> MasterUrl.parse("--master", m).apiServer());
    }
}
