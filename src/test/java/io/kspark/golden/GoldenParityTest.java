package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kspark.cli.KsparkCli;
import io.kspark.client.CoreApi;
import io.kspark.cli.KsparkSubmissionCustomizer;
import io.kspark.cli.OneShotFactory;
import io.kspark.cli.SubmitCommand;
import io.kspark.k8s.IdGenerator;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.k8s.ExecutorSpec;
import io.kspark.reconciler.model.ExecutorProfiles;
import io.kspark.submit.DriverObjects;
import io.kspark.submit.ExecutorPreview;
import io.kspark.submit.FileUploader;
import io.kspark.submit.SubmissionPlan;
import io.kspark.submit.SubmissionPlanner;
import io.kspark.submit.Submitter;
import io.kspark.submit.s3.S3Uploader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden parity: for every case recorded from real Spark 4.1.1 (src/test/resources/golden), kspark
 * submits the same arguments to a CRUD mock API server and the stored objects, plus the pod of
 * executor 1, must equal Spark's field by field once random parts are normalised.
 */
class GoldenParityTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KubernetesMockServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void startServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.destroy();
    }

    @TestFactory
    Stream<DynamicTest> kubernetesObjectsMatchSpark() {
        List<GoldenCase> cases = GoldenCase.all();
        if (System.getProperty("kspark.golden.dir") == null) {
            assertThat(cases).as("recorded golden cases").hasSizeGreaterThanOrEqualTo(12);
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertMatchesSpark(c)));
    }

    private void assertMatchesSpark(GoldenCase golden) throws IOException {
        server.reset();
        Recorded kspark = submitWithKspark(golden);
        GoldenNormaliser sparkSide = new GoldenNormaliser(golden.name());
        GoldenNormaliser ksparkSide = new GoldenNormaliser(golden.name());
        JsonNode expected = both(sparkSide, golden.driverObjects(), golden.executorOne());
        JsonNode actual = both(ksparkSide, kspark.driverObjects(), kspark.executorOne());
        List<String> differences = JsonDiff.between(expected, actual);
        assertThat(differences).as("%s: kspark vs Spark 4.1.1 (normalised)%n%s", golden.name(), pretty(actual)).isEmpty();
        if (golden.profileExecutor().isPresent()) {
            // Its own normalisers: the random parts of this executor are numbered in the order they appear in it.
            JsonNode sparks = new GoldenNormaliser(golden.name()).normaliseExecutor(golden.profileExecutor().get().executor());
            JsonNode ours = new GoldenNormaliser(golden.name()).normaliseExecutor(kspark.profileExecutor().orElseThrow());
            assertThat(JsonDiff.between(sparks, ours)).as("%s, executor 2 of resource profile 1: kspark vs Spark 4.1.1 (normalised)%n%s",
                    golden.name(), pretty(ours)).isEmpty();
        }
    }

    private static JsonNode both(GoldenNormaliser normaliser, JsonNode driverObjects, JsonNode executorOne) {
        ObjectNode both = JsonNodeFactory.instance.objectNode();
        both.set("driver", normaliser.normalise(driverObjects));
        both.set("executor-1", normaliser.normaliseExecutor(executorOne));
        return both;
    }

    private record Recorded(JsonNode driverObjects, JsonNode executorOne, Optional<JsonNode> profileExecutor) {
    }

    /** What `kspark submit` with the case's arguments leaves in the API server, and its executor 1. */
    private Recorded submitWithKspark(GoldenCase golden) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("submit");
        argv.addAll(golden.args());
        CommandLine.ParseResult parsed = KsparkCli.create(new OneShotFactory()).parseArgs(argv.toArray(String[]::new));
        SubmitCommand command = (SubmitCommand) parsed.subcommand().commandSpec().userObject();
        Clock clock = Clock.systemUTC();
        IdGenerator ids = IdGenerator.random(clock);
        SubmissionPlan plan = new SubmissionPlanner(LocalEnvironment.of(golden.env()), ids, clock, new KsparkSubmissionCustomizer())
                .plan(command.arguments());
        new FileUploader(new S3Uploader(plan.prepared().conf(), LocalEnvironment.of(golden.env()), clock, Duration.ZERO))
                .upload(plan.uploads());
        Pod driver = client.getKubernetesSerialization().convertValue(new Submitter(CoreApi.of(client)).create(plan.objects()), Pod.class);

        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        stored.set("pods", list(client.pods().inAnyNamespace().list().getItems()));
        stored.set("services", list(client.services().inAnyNamespace().list().getItems()));
        stored.set("configmaps", list(client.configMaps().inAnyNamespace().list().getItems()));
        stored.set("secrets", list(client.secrets().inAnyNamespace().list().getItems()));
        stored.set("persistentvolumeclaims", list(client.persistentVolumeClaims().inAnyNamespace().list().getItems()));

        DriverObjects running = storedObjects(plan.objects(), driver, golden.driverPodIp());
        Optional<JsonNode> profileExecutor = golden.profileExecutor().map(p -> executorJson(ExecutorPreview.executor(running, ids, "2",
                ExecutorProfiles.parse(p.resourceProfiles()).get(1))));
        return new Recorded(stored, executorJson(ExecutorPreview.executorOne(running, ids)), profileExecutor);
    }

    private static JsonNode executorJson(ExecutorSpec executor) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("pods", list(List.of(executor.pod())));
        json.set("persistentvolumeclaims", list(withCreatedOwners(executor)));
        return json;
    }

    /**
     * Claims owned by the executor pod reference it by uid once it exists, as the reconciler's
     * writer does after creating the pod: create it here too, so the owner references compare.
     */
    private static List<HasMetadata> withCreatedOwners(ExecutorSpec executor) {
        String name = executor.pod().getMetadata().getName();
        boolean ownedByExecutor = executor.resources().stream()
                .anyMatch(claim -> claim.getMetadata().getOwnerReferences().stream().anyMatch(ref -> name.equals(ref.getName())));
        if (!ownedByExecutor) {
            return executor.resources();
        }
        Pod created = client.pods().inNamespace(executor.pod().getMetadata().getNamespace()).resource(executor.pod()).create();
        return executor.resources().stream().<HasMetadata>map(claim -> {
            HasMetadata copy = SERIALIZATION.clone(claim);
            copy.getMetadata().getOwnerReferences().stream().filter(ref -> name.equals(ref.getName()))
                    .forEach(ref -> ref.setUid(created.getMetadata().getUid()));
            return copy;
        }).toList();
    }

    /**
     * The submission's objects as the API server stored them (uids set), as the running driver sees
     * them: scheduled, with the pod IP the recording used.
     */
    private static DriverObjects storedObjects(DriverObjects planned, Pod stored, String driverPodIp) {
        Pod driver = new PodBuilder(stored).withNewStatus().withPhase("Running").withPodIP(driverPodIp).endStatus().build();
        List<HasMetadata> owned = planned.ownedObjects().stream()
                .<HasMetadata>map(o -> client.resource(o).inNamespace(planned.namespace()).get())
                .toList();
        ConfigMap conf = client.configMaps().inNamespace(planned.namespace()).withName(planned.confConfigMap().getMetadata().getName()).get();
        return new DriverObjects(planned.namespace(), planned.appId(), driver, owned, conf);
    }

    private static JsonNode list(List<? extends HasMetadata> items) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        var array = list.putArray("items");
        items.forEach(i -> array.add(SERIALIZATION.convertValue(i, JsonNode.class)));
        return list;
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            return node.toString();
        }
    }
}
