package io.kspark.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.testing.Cli;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AppCommandsTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CommandLine.IFactory factory;

    KubernetesClient client;

    @BeforeEach
    void reset() {
        server.getKubernetesMockServer().reset();
        client = server.getClient();
    }

    String master() {
        return "k8s://" + client.getMasterUrl().toString().replaceAll("/$", "");
    }

    private Pod driver(String namespace, String name, String appId, String phase) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of("spark-role", "driver", "spark-app-selector", appId, "spark-app-name", name.replaceAll("-driver$", "")))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-driver").withImage("img").endContainer().endSpec()
                .build();
        Pod created = client.pods().inNamespace(namespace).resource(pod).create();
        return client.pods().inNamespace(namespace).resource(new PodBuilder(created).withNewStatus().withPhase(phase).endStatus().build())
                .updateStatus();
    }

    private void executor(String namespace, String appId, String id, String phase) {
        Pod pod = new PodBuilder().withNewMetadata().withName(appId + "-exec-" + id).withNamespace(namespace)
                .withLabels(Map.of("spark-role", "executor", "spark-app-selector", appId, "spark-exec-id", id)).endMetadata()
                .withNewSpec().addNewContainer().withName("spark-kubernetes-executor").withImage("img").endContainer().endSpec().build();
        Pod created = client.pods().inNamespace(namespace).resource(pod).create();
        client.pods().inNamespace(namespace).resource(new PodBuilder(created).withNewStatus().withPhase(phase).endStatus().build()).updateStatus();
    }

    @Test
    void statusDescribesTheDriverAndItsExecutors() {
        driver("jobs", "pi-driver", "spark-a", "Running");
        executor("jobs", "spark-a", "1", "Running");
        executor("jobs", "spark-a", "2", "Pending");
        Cli.Result result = Cli.run(factory, "status", "--master", master(), "jobs:pi-driver");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).startsWith("Application status (driver): ")
                .contains("pod name: pi-driver").contains("namespace: jobs").contains("phase: Running")
                .contains("executors: 1 Pending, 1 Running");
    }

    @Test
    void statusOfAMissingAppExitsOne() {
        Cli.Result result = Cli.run(factory, "status", "--master", master(), "jobs:nope-driver");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().trim()).isEqualTo("Application not found.");
        Cli.Result glob = Cli.run(factory, "status", "--master", master(), "jobs:nope*");
        assertThat(glob.err().trim()).isEqualTo("No applications found.");
    }

    @Test
    void killDeletesTheDriverWithTheGracePeriod() {
        driver("jobs", "pi-driver", "spark-a", "Running");
        driver("jobs", "other-driver", "spark-b", "Running");
        Cli.Result result = Cli.run(factory, "kill", "--master", master(), "--conf", "spark.kubernetes.appKillPodDeletionGracePeriod=5",
                "jobs:pi-driver");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).contains("Grace period in secs: 5").contains("Deleting driver pod: pi-driver.")
                .startsWith("Submitting a request to kill submission jobs:pi-driver in " + master() + ". Grace period in secs: 5");
        assertThat(client.pods().inNamespace("jobs").list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactly("other-driver");
        assertThat(server.getKubernetesMockServer().getRequestCount()).isPositive();
    }

    @Test
    void killWithGlobDeletesOnlyMatchingDrivers() {
        driver("jobs", "pi-1-driver", "spark-a", "Running");
        driver("jobs", "pi-2-driver", "spark-b", "Running");
        driver("jobs", "etl-driver", "spark-c", "Running");
        executor("jobs", "spark-a", "1", "Running");
        Cli.Result result = Cli.run(factory, "kill", "--master", master(), "jobs:pi-*");
        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(client.pods().inNamespace("jobs").withLabel("spark-role", "driver").list().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactly("etl-driver");
        assertThat(client.pods().inNamespace("jobs").withLabel("spark-role", "executor").list().getItems()).hasSize(1);
        Cli.Result none = Cli.run(factory, "kill", "--master", master(), "jobs:zzz*");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("No applications found.");
    }

    @Test
    void aGlobKillThatFailsForOneDriverStillTriesTheOthersAndSaysWhichAreLeft() {
        driver("jobs", "pi-1-driver", "spark-a", "Running");
        driver("jobs", "pi-2-driver", "spark-b", "Running");
        driver("jobs", "pi-3-driver", "spark-c", "Running");
        server.expect().delete().withPath("/api/v1/namespaces/jobs/pods/pi-2-driver").andReturn(403, "forbidden").once();

        Cli.Result result = Cli.run(factory, "kill", "--master", master(), "jobs:pi-*");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("Deleting driver pod: pi-1-driver.", "Deleting driver pod: pi-2-driver.", "Deleting driver pod: pi-3-driver.");
        assertThat(result.err()).contains("2 of 3 driver pods deleted, not jobs/pi-2-driver").contains("403");
        assertThat(client.pods().inNamespace("jobs").list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactly("pi-2-driver");
    }

    @Test
    void sparkSubmitStyleKillAndStatusWork() {
        driver("default", "pi-driver", "spark-a", "Running");
        Cli.Result status = Cli.run(factory, "submit", "--master", master(), "--status", "default:pi-driver");
        assertThat(status.exitCode()).isEqualTo(0);
        assertThat(status.out()).contains("pod name: pi-driver");
        Cli.Result kill = Cli.run(factory, "submit", "--master", master(), "--kill", "default:pi-driver");
        assertThat(kill.exitCode()).isEqualTo(0);
        assertThat(client.pods().inNamespace("default").list().getItems()).isEmpty();
    }

    @Test
    void dryRunNeverKillsNorAsks() {
        driver("default", "pi-driver", "spark-a", "Running");
        int requestsBefore = server.getKubernetesMockServer().getRequestCount();
        for (String action : List.of("--kill", "--status")) {
            Cli.Result result = Cli.run(factory, "submit", "--dry-run", "--master", master(), action, "default:pi-driver");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err().strip()).isEqualTo("kspark: error: --dry-run: applies to submissions only, not to " + action);
        }
        assertThat(server.getKubernetesMockServer().getRequestCount()).isEqualTo(requestsBefore);
        assertThat(client.pods().inNamespace("default").list().getItems()).hasSize(1);
    }

    @Test
    void theMasterCanComeFromTheSparkConfAsInSparkSubmit() throws Exception {
        driver("jobs", "pi-driver", "spark-a", "Running");
        Cli.Result fromConf = Cli.run(factory, "status", "--conf", "spark.master=" + master(), "jobs:pi-driver");
        assertThat(fromConf.exitCode()).as(fromConf.err()).isEqualTo(0);
        assertThat(fromConf.out()).contains("pod name: pi-driver");

        java.nio.file.Path properties = java.nio.file.Files.createTempFile("kspark-kill", ".conf");
        java.nio.file.Files.writeString(properties, "spark.master " + master() + "\nspark.kubernetes.appKillPodDeletionGracePeriod 7\n");
        Cli.Result kill = Cli.run(factory, "submit", "--properties-file", properties.toString(), "--kill", "jobs:pi-driver");
        assertThat(kill.exitCode()).as(kill.err()).isEqualTo(0);
        assertThat(kill.out()).contains("Grace period in secs: 7");
        assertThat(client.pods().inNamespace("jobs").list().getItems()).isEmpty();
    }

    @Test
    void aPropertiesFileThatCannotBeReadStopsSparkSubmitsKillSpelling() {
        driver("jobs", "pi-driver", "spark-a", "Running");
        Cli.Result kill = Cli.run(factory, "submit", "--master", master(), "--properties-file", "/nonexistent/kspark.conf", "--kill", "jobs:pi-driver");
        assertThat(kill.exitCode()).isEqualTo(2);
        assertThat(kill.err()).contains("--properties-file");
        assertThat(client.pods().inNamespace("jobs").list().getItems()).hasSize(1);
    }

    @Test
    void listShowsAppsAsTableAndJson() throws Exception {
        driver("jobs", "pi-driver", "spark-a", "Running");
        executor("jobs", "spark-a", "1", "Running");
        executor("jobs", "spark-a", "2", "Running");
        executor("jobs", "spark-a", "3", "Failed");
        driver("etl", "etl-driver", "spark-b", "Succeeded");
        Cli.Result table = Cli.run(factory, "list", "--master", master(), "-n", "jobs");
        assertThat(table.exitCode()).as(table.err()).isEqualTo(0);
        assertThat(table.out().lines().toList()).hasSize(2);
        assertThat(table.out()).contains("APP ID").contains("spark-a").contains("pi-driver").contains("Running").doesNotContain("spark-b");
        Cli.Result json = Cli.run(factory, "list", "--master", master(), "-A", "-o", "json");
        List<Map<String, Object>> apps = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.out(),
                new com.fasterxml.jackson.core.type.TypeReference<>() {
                });
        assertThat(apps).extracting(a -> a.get("appId") + "/" + a.get("executors") + "/" + a.get("phase"))
                .containsExactlyInAnyOrder("spark-a/2/Running", "spark-b/0/Succeeded");
        assertThat(apps).allSatisfy(a -> assertThat(a).containsKeys("name", "namespace", "driverPod", "ageSeconds"));
    }

    @Test
    void logsPrintTheDriverContainerLog() {
        driver("jobs", "pi-driver", "spark-a", "Running");
        server.expect().get().withPath("/api/v1/namespaces/jobs/pods/pi-driver/log?pretty=false&container=spark-kubernetes-driver")
                .andReturn(200, "Pi is roughly 3.14\n").always();
        server.expect().get().withPath("/api/v1/namespaces/jobs/pods/pi-driver/log?pretty=false&container=spark-kubernetes-driver&follow=true")
                .andReturn(200, "line 1\nline 2\n").always();
        Cli.Result logs = Cli.run(factory, "logs", "--master", master(), "jobs:pi-driver");
        assertThat(logs.exitCode()).as(logs.err()).isEqualTo(0);
        assertThat(logs.out()).isEqualTo("Pi is roughly 3.14\n");
        Cli.Result follow = Cli.run(factory, "logs", "--master", master(), "-f", "jobs:pi-driver");
        assertThat(follow.exitCode()).as(follow.err()).isEqualTo(0);
        assertThat(follow.out()).isEqualTo("line 1\nline 2\n");
        Cli.Result missing = Cli.run(factory, "logs", "--master", master(), "jobs:nope");
        assertThat(missing.exitCode()).isEqualTo(1);
    }

    @Test
    void apiErrorsOnOperationsExitThree() {
        server.expect().get().withPath("/api/v1/namespaces/jobs/pods?labelSelector=spark-role%3Ddriver").andReturn(403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"forbidden\",\"code\":403}").always();
        Cli.Result result = Cli.run(factory, "list", "--master", master(), "-n", "jobs");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(SubmitCommandTest.errorLine(result)).contains("HTTP 403 Forbidden");
    }
}
