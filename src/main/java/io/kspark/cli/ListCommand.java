package io.kspark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.apps.AppSummary;
import io.kspark.k8s.KubernetesJson;
import io.kspark.apps.Apps;
import io.kspark.k8s.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kspark list}: the Spark applications (driver pods) in a namespace or all namespaces. */
@Command(name = "list", description = "List Spark applications: name, app id, phase, age and live executors.")
public class ListCommand implements Callable<Integer>, TalksToApiServer {

    public enum Format { TABLE, JSON }

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig's).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "List applications in all namespaces.")
    boolean allNamespaces;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Names.checkNamespaceOption("--namespace", namespace);
        try (KubernetesClient client = cluster.client(Optional.ofNullable(namespace))) {
            Optional<String> scope = allNamespaces ? Optional.empty()
                    : Optional.of(Optional.ofNullable(namespace).orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default")));
            List<AppSummary> apps = new Apps(client).list(scope, Instant.now());
            if (output == Format.JSON) {
                out.println(KubernetesJson.SERIALIZATION.asJson(apps));
            } else {
                printTable(out, apps, allNamespaces);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static void printTable(PrintWriter out, List<AppSummary> apps, boolean withNamespace) {
        String format = (withNamespace ? "%-16s " : "%s") + "%-24s %-40s %-45s %-10s %-6s %s%n";
        out.printf(format, withNamespace ? "NAMESPACE" : "", "NAME", "APP ID", "DRIVER POD", "PHASE", "AGE", "EXECUTORS");
        for (AppSummary app : apps) {
            out.printf(format, withNamespace ? app.namespace() : "", app.name(), app.appId(), app.driverPod(), app.phase(), app.age(),
                    app.executors());
        }
    }

    @Override
    public Optional<String> apiServerTried() {
        return cluster.serverTried();
    }
}
