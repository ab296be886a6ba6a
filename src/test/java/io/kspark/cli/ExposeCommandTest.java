package io.kspark.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.testing.Cli;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ExposeCommandTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    KubernetesClient client;

    @BeforeEach
    void reset() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
        client.pods().inNamespace("notebooks").resource(new PodBuilder().withNewMetadata().withName("jupyter-0").withNamespace("notebooks")
                .addToLabels("app", "jupyter").endMetadata()
                .withNewSpec().addNewContainer().withName("notebook").withImage("jupyter").endContainer().endSpec().build()).create();
    }

    String master() {
        return "k8s://" + client.getMasterUrl().toString().replaceAll("/$", "");
    }

    @Test
    void exposeCreatesAnOwnedHeadlessServiceAndPrintsTheConf() {
        Cli.Result result = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        Pod pod = client.pods().inNamespace("notebooks").withName("jupyter-0").get();
        Service service = client.services().inNamespace("notebooks").withName("jupyter-0-svc").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).containsEntry("kspark.io/driver-pod", "jupyter-0");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactly("driver-rpc-port:7078", "blockmanager:7079", "spark-ui:4040");
        assertThat(service.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(pod.getMetadata().getUid()));
        assertThat(pod.getMetadata().getLabels()).containsEntry("kspark.io/driver-pod", "jupyter-0")
                .containsEntry(KsparkMetadata.RECONCILER_LABEL, "controller").containsEntry("spark-role", "driver").containsEntry("app", "jupyter");
        assertThat(result.out().lines().toList()).containsExactly(
                "--conf spark.driver.host=jupyter-0-svc.notebooks.svc",
                "--conf spark.driver.bindAddress=0.0.0.0",
                "--conf spark.driver.port=7078",
                "--conf spark.driver.blockManager.port=7079",
                "--conf spark.kubernetes.namespace=notebooks",
                "--conf spark.kubernetes.driver.pod.name=jupyter-0",
                "--conf spark.kspark.reconciler=controller",
                "--conf spark.kubernetes.allocation.pods.allocator=io.kspark.spark.KsparkPodsAllocator");
        Cli.Result again = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks", "-o", "properties");
        assertThat(again.exitCode()).as("expose is idempotent").isEqualTo(0);
        assertThat(again.out()).contains("spark.driver.host=jupyter-0-svc.notebooks.svc\n");
        // Exposed again with other ports: the Service follows.
        Cli.Result moved = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks", "--driver-port", "29413");
        assertThat(moved.exitCode()).as(moved.err()).isEqualTo(0);
        assertThat(moved.out()).contains("--conf spark.driver.port=29413\n");
        assertThat(client.services().inNamespace("notebooks").withName("jupyter-0-svc").get().getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort()).containsExactly("driver-rpc-port:29413", "blockmanager:7079", "spark-ui:4040");
        // A Service of that name that kspark did not make for this pod is left alone.
        client.services().inNamespace("notebooks").withName("jupyter-0-svc").delete();
        client.services().inNamespace("notebooks").resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
                .withName("jupyter-0-svc").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        Cli.Result foreign = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks");
        assertThat(foreign.exitCode()).isEqualTo(2);
        assertThat(foreign.err()).contains("Service notebooks/jupyter-0-svc exists and is not the one 'kspark expose' made for this pod");
        assertThat(client.services().inNamespace("notebooks").withName("jupyter-0-svc").get().getSpec().getPorts())
                .extracting(p -> p.getPort()).containsExactly(80);
    }

    @Test
    void withoutTheReconcilerSparkKeepsItsOwnAllocator() {
        // An earlier expose handed the pod to the controller; this one takes it back.
        assertThat(Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks").exitCode()).isZero();
        Cli.Result result = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks", "--reconciler", "none");
        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out()).doesNotContain("pods.allocator").doesNotContain("kspark.reconciler");
        // Removed (the CRUD mock keeps a merge-patched null as a null value; a real API server drops the key).
        assertThat(client.pods().inNamespace("notebooks").withName("jupyter-0").get().getMetadata().getLabels()
                .get(KsparkMetadata.RECONCILER_LABEL)).isNull();
    }

    @Test
    void unknownPodsAndBadArguments() {
        Cli.Result missing = Cli.run(factory, "expose", "--master", master(), "--pod", "nope", "-n", "notebooks");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("kspark: error: --pod: there is no pod notebooks/nope");
        Cli.Result bad = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks", "--reconciler", "yarn");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--reconciler: must be controller, sidecar or none, but was 'yarn'");
        for (String[] port : new String[][] {{"--driver-port", "0"}, {"--block-manager-port", "65536"}, {"--ui-port", "-1"}}) {
            Cli.Result refused = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks", port[0], port[1]);
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err().strip()).isEqualTo("kspark: error: " + port[0] + ": " + port[1] + " is not a TCP port (1-65535)");
        }
        assertThat(client.services().inNamespace("notebooks").list().getItems()).isEmpty();
    }

    @Test
    void sidecarModeLabelsThePodForASidecarInIt() {
        Cli.Result result = Cli.run(factory, "expose", "--master", master(), "--pod", "jupyter-0", "-n", "notebooks", "--reconciler", "sidecar");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(client.pods().inNamespace("notebooks").withName("jupyter-0").get().getMetadata().getLabels())
                .containsEntry(KsparkMetadata.RECONCILER_LABEL, "sidecar").containsEntry("spark-role", "driver");
        assertThat(result.out()).contains("--conf spark.kspark.reconciler=sidecar\n")
                .contains("--conf spark.kubernetes.allocation.pods.allocator=io.kspark.spark.KsparkPodsAllocator\n");
    }

    @Test
    void clientModeSubmissionExplainsTheExposePathAndCreatesNothing() {
        int before = client.pods().inAnyNamespace().list().getItems().size();
        for (String[] clientMode : new String[][] {{"--deploy-mode", "client"}, {"--conf", "spark.submit.deployMode=client"}}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("submit", "--master", master()));
            args.addAll(java.util.List.of(clientMode));
            args.addAll(java.util.List.of("--class", "A", "--conf", "spark.kubernetes.container.image=i", "local:///a.jar"));
            Cli.Result result = Cli.run(factory, args.toArray(String[]::new));
            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).startsWith("kspark runs no Spark driver on this machine").contains("kspark expose --pod <driver-pod>")
                    .contains("--deploy-mode cluster");
            assertThat(result.err()).isEmpty();
            assertThat(client.pods().inAnyNamespace().list().getItems()).hasSize(before);
        }
        // No deploy mode at all is spark-submit's client mode too, but more likely a forgotten flag: a usage error.
        Cli.Result unset = Cli.run(factory, "submit", "--master", master(), "--class", "A", "--conf", "spark.kubernetes.container.image=i",
                "local:///a.jar");
        assertThat(unset.exitCode()).isEqualTo(2);
        assertThat(unset.err().strip()).startsWith("kspark: error: --deploy-mode: not set; kspark submits with --deploy-mode cluster");
        assertThat(client.pods().inAnyNamespace().list().getItems()).hasSize(before);
    }
}
