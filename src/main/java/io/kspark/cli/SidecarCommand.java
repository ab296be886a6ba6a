package io.kspark.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kspark.client.KubernetesApiException;
import io.kspark.client.KubernetesClients;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.Names;
import io.kspark.reconciler.runtime.Backoff;
import io.kspark.reconciler.runtime.KsparkConfig;
import io.kspark.reconciler.runtime.Reconciler;
import io.kspark.reconciler.runtime.ReconcilerMetrics;
import io.kspark.reconciler.runtime.ReconcilerRuntime;
import io.kspark.reconciler.runtime.Scope;
import io.kspark.reconciler.runtime.SidecarTurns;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code kspark sidecar}: the reconciler for the application whose driver pod it runs in; exits once the
 * driver has ended and its executors are gone. In a client-mode driver pod (a notebook) it waits for Spark to
 * take the pod over and follows one application after another.
 */
@Command(name = "sidecar", description = {
        "Run the executor-pod reconciler for the application in one driver pod, from inside that pod.",
        "In a client-mode driver pod (a notebook, see 'kspark expose --reconciler sidecar') it waits for Spark to start there and",
        "follows each new application.",
        "The driver pod comes from --driver-pod/--namespace or the POD_NAME/POD_NAMESPACE downward-API variables."})
public class SidecarCommand implements Callable<Integer>, ChecksArguments, TalksToApiServer {

    private static final Logger LOG = Logger.getLogger(SidecarCommand.class);

    @Mixin
    ServerOptions server;

    @Option(names = "--driver-pod", paramLabel = "NAME", description = "The driver pod (default: $POD_NAME).")
    String driverPod;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The driver's namespace (default: $POD_NAMESPACE).")
    String namespace;

    @Inject
    KsparkConfig config;

    private String serverTried;

    @Inject
    ReconcilerRuntime runtime;

    @Inject
    MeterRegistry registry;

    @Override
    public void checkArguments() {
        server.apiServer();
        Names.checkPodNameOption("--driver-pod", driverPodName());
        namespaceOption().ifPresent(ns -> Names.checkNamespaceOption("--namespace", ns));
    }

    private String driverPodName() {
        return Optional.ofNullable(driverPod).or(() -> Optional.ofNullable(System.getenv("POD_NAME")))
                .orElseThrow(() -> new UserInputException("--driver-pod: required (or set POD_NAME through the downward API)"));
    }

    private Optional<String> namespaceOption() {
        return Optional.ofNullable(namespace).or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")));
    }

    @Override
    public Integer call() throws Exception {
        checkArguments();
        String pod = driverPodName();
        ReconcilerMetrics metrics = new ReconcilerMetrics(registry);
        try (KubernetesClient client = KubernetesClients.forReconciler(server.apiServer(), metrics.apiInterceptor())) {
            serverTried = client.getMasterUrl().toString();
            String ns = namespaceOption().orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
            if (read(client, ns, pod, config.reconciler().writeAttempts()).isEmpty()) {
                throw new UserInputException("--driver-pod: " + ns + "/" + pod + " is not a Spark driver pod (no such pod)");
            }
            Optional<String> finished = Optional.empty();
            while (true) {
                SidecarTurns.Next next = awaitTurn(client, ns, pod, finished);
                if (next instanceof SidecarTurns.End end) {
                    LOG.infof("kspark sidecar for %s/%s ends: %s", ns, pod, end.why());
                    return ExitCodes.OK;
                }
                String appId = ((SidecarTurns.Run) next).appId();
                if (!reconcileUntilFinished(client, ns, pod, appId, metrics)) {
                    return ExitCodes.OK; // stopped (SIGTERM, Ctrl-C)
                }
                finished = Optional.of(appId);
            }
        }
    }

    @Override
    public Optional<String> apiServerTried() {
        return Optional.ofNullable(serverTried);
    }

    /** Reconciles one application; true when it finished (its driver ended or went on to another application). */
    private boolean reconcileUntilFinished(KubernetesClient client, String ns, String pod, String appId, ReconcilerMetrics metrics)
            throws InterruptedException {
        AtomicBoolean appFinished = new AtomicBoolean();
        Reconciler reconciler = new Reconciler(client, Scope.sidecar(ns, pod, appId), config.reconciler(), metrics, Clock.systemUTC(), () -> true)
                .onAppFinished(key -> {
                    appFinished.set(true);
                    runtime.requestStop(ExitCodes.OK);
                });
        runtime.attach(reconciler);
        reconciler.start();
        LOG.infof("kspark sidecar reconciles %s/%s (app %s)", ns, pod, appId);
        try {
            runtime.awaitStop();
            return appFinished.get();
        } finally {
            reconciler.close();
            runtime.detach();
        }
    }

    /**
     * Blocks until the driver pod runs an application this sidecar has not finished, or ends. An API server that does
     * not answer is waited for: ending here would leave the next application without executors until the kubelet's
     * back-off restarts the sidecar.
     */
    private SidecarTurns.Next awaitTurn(KubernetesClient client, String ns, String pod, Optional<String> finished) throws InterruptedException {
        SidecarTurns.Next next = SidecarTurns.next(read(client, ns, pod, Integer.MAX_VALUE), finished);
        if (next instanceof SidecarTurns.Wait) {
            LOG.infof("kspark sidecar waits for a Spark application in driver pod %s/%s", ns, pod);
        }
        while (next instanceof SidecarTurns.Wait) {
            try {
                client.pods().inNamespace(ns).withName(pod).waitUntilCondition(
                        p -> !(SidecarTurns.next(Optional.ofNullable(p), finished) instanceof SidecarTurns.Wait), 1, TimeUnit.MINUTES);
            } catch (KubernetesClientException e) {
                LOG.debugf("waiting for driver pod %s/%s: %s", ns, pod, e.getMessage());
            }
            next = SidecarTurns.next(read(client, ns, pod, Integer.MAX_VALUE), finished);
        }
        return next;
    }

    /** The driver pod (empty: there is none), with up to {@code attempts} tries for errors the backoff policy retries. */
    private Optional<Pod> read(KubernetesClient client, String ns, String pod, int attempts) throws InterruptedException {
        Backoff backoff = new Backoff(config.reconciler().backoffInitial(), config.reconciler().backoffMax());
        for (int attempt = 1; ; attempt++) {
            try {
                return Optional.ofNullable(client.pods().inNamespace(ns).withName(pod).get());
            } catch (KubernetesClientException e) {
                if (!Backoff.retries(e) || attempt >= attempts) {
                    throw new KubernetesApiException("cannot read driver pod " + ns + "/" + pod, e);
                }
                Duration delay = backoff.delay(attempt);
                LOG.warnf("cannot read driver pod %s/%s (%s); trying again in %d ms", ns, pod, e.getMessage(), delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }
}
