package io.kspark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.client.KubernetesClients;
import io.kspark.k8s.Names;
import io.kspark.reconciler.runtime.KsparkConfig;
import io.kspark.reconciler.runtime.LeaderElection;
import io.kspark.reconciler.runtime.Reconciler;
import io.kspark.reconciler.runtime.ReconcilerMetrics;
import io.kspark.reconciler.runtime.ReconcilerRuntime;
import io.kspark.reconciler.runtime.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** {@code kspark controller}: reconciles the executors of every driver labelled kspark.io/reconciler=controller. */
@Command(name = "controller", description = {
        "Run the executor-pod reconciler for all applications submitted with spark.kspark.reconciler=controller.",
        "Serves the REST API, /q/health and /q/metrics on quarkus.http.port (default 8080); replicas elect a leader with a Lease."})
public class ControllerCommand implements Callable<Integer>, ChecksArguments {

    private static final Logger LOG = Logger.getLogger(ControllerCommand.class);

    @Mixin
    ServerOptions server;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace to watch (repeatable; default: all namespaces).")
    List<String> namespaces = new ArrayList<>();

    @Inject
    KsparkConfig config;

    @Inject
    ReconcilerRuntime runtime;

    @Inject
    MeterRegistry registry;

    @Override
    public void checkArguments() {
        server.apiServer();
        namespaces.forEach(ns -> Names.checkNamespaceOption("--namespace", ns));
    }

    @Override
    public Integer call() throws Exception {
        checkArguments();
        ReconcilerMetrics metrics = new ReconcilerMetrics(registry);
        try (KubernetesClient client = KubernetesClients.forReconciler(server.apiServer(), metrics.apiInterceptor())) {
            LeaderElection election = null;
            BooleanSupplier leader = () -> true;
            Reconciler[] holder = new Reconciler[1];
            if (config.leaderElection().enabled()) {
                String leaseNamespace = config.leaderElection().leaseNamespace()
                        .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                        .orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
                election = new LeaderElection(client, config.leaderElection(), leaseNamespace, identity(),
                        () -> { if (holder[0] != null) { holder[0].resyncAll(); } });
                leader = election::isLeader;
            }
            Reconciler reconciler = new Reconciler(client, Scope.controller(namespaces), config.reconciler(), metrics, Clock.systemUTC(), leader);
            holder[0] = reconciler;
            runtime.attach(reconciler);
            reconciler.start();
            if (election != null) {
                election.start();
            }
            LOG.infof("kspark controller started (namespaces: %s)", namespaces.isEmpty() ? "all" : String.join(",", namespaces));
            try {
                return runtime.awaitStop();
            } finally {
                if (election != null) {
                    election.close();
                }
                reconciler.close();
                runtime.detach();
            }
        }
    }

    static String identity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        } catch (Exception e) {
            return "kspark-" + UUID.randomUUID();
        }
    }
}
