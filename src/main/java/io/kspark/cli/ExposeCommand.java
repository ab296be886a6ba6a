package io.kspark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kspark.apps.DriverExposure;
import io.kspark.client.KubernetesApiException;
import io.kspark.conf.TcpPorts;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code kspark expose --pod NAME}: makes a client-mode driver that runs in a pod (a notebook)
 * reachable by its executors, and prints the Spark conf to start Spark with.
 */
@Command(name = "expose", description = {
        "Expose a client-mode Spark driver that already runs in a pod (a notebook) to its executors.",
        "Creates the headless Service its executors reach it through (owned by the pod) and prints the --conf lines to start Spark with.",
        "With --reconciler controller (the default) or sidecar the pod is labelled so the kspark controller (or a 'kspark sidecar' in the pod)",
        "reconciles its executors through the kspark allocator plugin, which hands each new application in the pod over when Spark starts."})
public class ExposeCommand implements Callable<Integer>, TalksToApiServer {

    public enum Format { CONF, PROPERTIES }

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--pod", required = true, paramLabel = "NAME", description = "The pod the driver runs in.")
    String pod;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Its namespace (default: the kubeconfig's).")
    String namespace;

    @Option(names = "--reconciler", defaultValue = "controller", paramLabel = "MODE",
            description = "controller or sidecar (kspark creates the executors; needs the kspark plugin jar on the driver class path), or none (Spark's own allocator).")
    String reconciler;

    @Option(names = "--driver-port", defaultValue = "7078", description = "spark.driver.port (default ${DEFAULT-VALUE}).")
    int driverPort;

    @Option(names = "--block-manager-port", defaultValue = "7079", description = "spark.driver.blockManager.port (default ${DEFAULT-VALUE}).")
    int blockManagerPort;

    @Option(names = "--ui-port", defaultValue = "4040", description = "spark.ui.port (default ${DEFAULT-VALUE}).")
    int uiPort;

    @Option(names = {"-o", "--output"}, defaultValue = "conf", description = "conf (--conf k=v lines) or properties (k=v lines).")
    Format output;

    @Override
    public Integer call() {
        if (!java.util.Set.of("controller", "sidecar", "none").contains(reconciler)) {
            throw new UserInputException("--reconciler: must be controller, sidecar or none, but was '" + reconciler + "'");
        }
        Names.checkPodNameOption("--pod", pod);
        Names.checkNamespaceOption("--namespace", namespace);
        checkPort("--driver-port", driverPort);
        checkPort("--block-manager-port", blockManagerPort);
        checkPort("--ui-port", uiPort);
        try (KubernetesClient client = cluster.client(Optional.ofNullable(namespace))) {
            String ns = Optional.ofNullable(namespace).orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
            Pod driver;
            try {
                driver = client.pods().inNamespace(ns).withName(pod).get();
            } catch (RuntimeException e) {
                throw new KubernetesApiException("cannot read pod " + ns + "/" + pod, e);
            }
            if (driver == null) {
                throw new UserInputException("--pod: there is no pod " + ns + "/" + pod);
            }
            DriverExposure exposure = DriverExposure.of(driver, new DriverExposure.Ports(driverPort, blockManagerPort, uiPort),
                    reconciler.equals("none") ? Optional.empty() : Optional.of(reconciler));
            label(client, exposure);
            createService(client, exposure);
            print(spec.commandLine().getOut(), exposure);
            return ExitCodes.OK;
        }
    }

    private static void label(KubernetesClient client, DriverExposure exposure) {
        ObjectNode patch = new ObjectMapper().createObjectNode();
        ObjectNode labels = patch.putObject("metadata").putObject("labels");
        exposure.podLabels().forEach(labels::put);
        try {
            client.pods().inNamespace(exposure.namespace()).withName(exposure.podName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot label pod " + exposure.namespace() + "/" + exposure.podName(), e);
        }
    }

    /** Idempotent: an existing Service of that name (an earlier expose, maybe with other ports) is brought up to date. */
    private static void createService(KubernetesClient client, DriverExposure exposure) {
        Service wanted = exposure.service();
        try {
            try {
                client.services().inNamespace(exposure.namespace()).resource(wanted).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                update(client, exposure, wanted);
            }
        } catch (UserInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot create Service " + exposure.namespace() + "/" + exposure.serviceName(), e);
        }
    }

    /** Only the Service an earlier expose made for this pod is touched, and only when its ports or owner changed. */
    private static void update(KubernetesClient client, DriverExposure exposure, Service wanted) {
        Service existing = client.services().inNamespace(exposure.namespace()).withName(exposure.serviceName()).get();
        String selector = wanted.getMetadata().getLabels().get(DriverExposure.DRIVER_POD_LABEL);
        if (existing == null || existing.getMetadata().getLabels() == null
                || !selector.equals(existing.getMetadata().getLabels().get(DriverExposure.DRIVER_POD_LABEL))) {
            throw new UserInputException("--pod: Service " + exposure.namespace() + "/" + exposure.serviceName()
                    + " exists and is not the one 'kspark expose' made for this pod; kspark leaves it alone");
        }
        if (wanted.getSpec().getPorts().equals(existing.getSpec().getPorts())
                && wanted.getMetadata().getOwnerReferences().equals(existing.getMetadata().getOwnerReferences())) {
            return;
        }
        client.services().inNamespace(exposure.namespace()).withName(exposure.serviceName()).edit(current -> new ServiceBuilder(current)
                .editMetadata().withOwnerReferences(wanted.getMetadata().getOwnerReferences()).endMetadata()
                .editSpec().withSelector(wanted.getSpec().getSelector()).withPorts(wanted.getSpec().getPorts()).endSpec()
                .build());
    }

    private void print(PrintWriter out, DriverExposure exposure) {
        exposure.sparkConf().forEach((k, v) -> out.println(output == Format.CONF ? "--conf " + k + "=" + v : k + "=" + v));
        out.flush();
    }

    @Override
    public Optional<String> apiServerTried() {
        return cluster.serverTried();
    }

    private static void checkPort(String option, int port) {
        if (!TcpPorts.isValid(port)) {
            throw new UserInputException(option + ": " + port + " is not a TCP port (1-" + TcpPorts.MAX + ")");
        }
    }
}
