package io.kspark.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.client.KubernetesApiException;
import io.kspark.client.KubernetesClients;
import io.kspark.conf.UserInputException;
import io.kspark.reconciler.runtime.KsparkConfig;
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

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code kspark sidecar}: the reconciler for the one application whose driver pod it runs in; exits
 * once the driver container has ended and its executors are gone.
 */
@Command(name = "sidecar", description = {
        "Run the executor-pod reconciler for one application from inside its driver pod.",
        "The driver pod comes from --driver-pod/--namespace or the POD_NAME/POD_NAMESPACE downward-API variables."})
public class SidecarCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(SidecarCommand.class);

    @Mixin
    ServerOptions server;

    @Option(names = "--driver-pod", paramLabel = "NAME", description = "The driver pod (default: $POD_NAME).")
    String driverPod;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The driver's namespace (default: $POD_NAMESPACE).")
    String namespace;

    @Inject
    KsparkConfig config;

    @Inject
    ReconcilerRuntime runtime;

    @Inject
    MeterRegistry registry;

    @Override
    public Integer call() throws Exception {
        String pod = Optional.ofNullable(driverPod).or(() -> Optional.ofNullable(System.getenv("POD_NAME")))
                .orElseThrow(() -> new UserInputException("--driver-pod: required (or set POD_NAME through the downward API)"));
        ReconcilerMetrics metrics = new ReconcilerMetrics(registry);
        try (KubernetesClient client = KubernetesClients.forReconciler(server.apiServer(), metrics.apiInterceptor())) {
            String ns = Optional.ofNullable(namespace).or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                    .orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
            Pod driver;
            try {
                driver = client.pods().inNamespace(ns).withName(pod).get();
            } catch (RuntimeException e) {
                throw new KubernetesApiException("cannot read driver pod " + ns + "/" + pod, e);
            }
            if (driver == null || driver.getMetadata().getLabels() == null || !driver.getMetadata().getLabels().containsKey("spark-app-selector")) {
                throw new UserInputException("--driver-pod: " + ns + "/" + pod + " is not a Spark driver pod");
            }
            String appId = driver.getMetadata().getLabels().get("spark-app-selector");
            Reconciler reconciler = new Reconciler(client, Scope.sidecar(ns, appId), config.reconciler(), metrics, Clock.systemUTC(), () -> true)
                    .onAppFinished(key -> runtime.requestStop(ExitCodes.OK));
            runtime.attach(reconciler);
            reconciler.start();
            LOG.infof("kspark sidecar started for %s/%s (app %s)", ns, pod, appId);
            try {
                return runtime.awaitStop();
            } finally {
                reconciler.close();
                runtime.detach();
            }
        }
    }
}
