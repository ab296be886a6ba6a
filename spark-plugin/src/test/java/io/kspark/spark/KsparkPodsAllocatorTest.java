package io.kspark.spark;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfile$;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.scheduler.cluster.k8s.AbstractPodsAllocator;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodsPollingSnapshotSource;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodsSnapshotsStore;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodsSnapshotsStoreImpl;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodsWatchSnapshotSource;
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder;
import org.apache.spark.util.Clock;
import org.apache.spark.util.SystemClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.kspark.spark.Fixtures.APP_ID;
import static io.kspark.spark.Fixtures.DRIVER;
import static io.kspark.spark.Fixtures.NAMESPACE;
import static io.kspark.spark.Fixtures.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class KsparkPodsAllocatorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    KubernetesMockServer server;
    KubernetesClient client;

    private KubernetesClient pluginClient;
    private ScheduledExecutorService subscribers;
    private ExecutorPodsSnapshotsStoreImpl store;
    private SparkConf conf;
    private ResourceProfile defaultProfile;
    private final List<KsparkPodsAllocator> allocators = new ArrayList<>();
    /** Pods the tests create as kspark would; the plugin itself must never create one. */
    private final Set<String> createdByTest = new java.util.HashSet<>();

    @BeforeEach
    void setUp() {
        pluginClient = Fixtures.clientWithoutRetries(client);
        conf = new SparkConf(false)
                .set("spark.kubernetes.namespace", NAMESPACE)
                .set("spark.kubernetes.driver.pod.name", DRIVER)
                .set("spark.kubernetes.allocation.batch.delay", "50ms")
                .set(KsparkPodsAllocator.RETRY_INITIAL_BACKOFF, "50ms")
                .set(KsparkPodsAllocator.RETRY_MAX_BACKOFF, "200ms")
                .set("spark.kubernetes.executorSnapshotsSubscribersShutdownGracePeriod", "1s");
        subscribers = Executors.newScheduledThreadPool(2);
        store = new ExecutorPodsSnapshotsStoreImpl(subscribers, new SystemClock(), conf);
        defaultProfile = ResourceProfile$.MODULE$.getOrCreateDefaultProfile(conf);
    }

    @AfterEach
    void tearDown() {
        allocators.forEach(a -> a.stop(APP_ID));
        store.stop();
        pluginClient.close();
        // The plugin never creates pods: only the driver and what the tests created (as kspark) may exist.
        Set<String> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(pods).allMatch(name -> name.equals(DRIVER) || createdByTest.contains(name));
    }

    // ------------------------------------------------------------------ construction

    @Test
    void testsRunAgainstTheSparkOfTheProfileAndTheChosenPluginClasses() throws Exception {
        assertThat(Fixtures.sparkVersion()).isEqualTo(System.getProperty("kspark.expected.spark.version", Fixtures.sparkVersion()));
        String classes = System.getProperty("kspark.classes");
        if (classes != null) {
            java.nio.file.Path loadedFrom = java.nio.file.Path.of(KsparkPodsAllocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(loadedFrom).isEqualTo(java.nio.file.Path.of(classes).toAbsolutePath());
        }
    }

    @Test
    void isConstructedThroughSparksReflectiveConstructor() {
        createDriver(Map.of());
        AbstractPodsAllocator allocator = newAllocator(conf);

        assertThat(allocator).isInstanceOf(KsparkPodsAllocator.class);
        assertThat(allocator.driverPod().isDefined()).isTrue();
        assertThat(allocator.driverPod().get().getMetadata().getName()).isEqualTo(DRIVER);
    }

    @Test
    void failsLikeSparkWhenTheNamedDriverPodDoesNotExist() {
        assertThatThrownBy(() -> newAllocator(conf))
                .isInstanceOf(WrappedCause.class)
                .cause().isInstanceOf(SparkException.class)
                .hasMessageContaining("No pod was found named " + DRIVER);
    }

    @Test
    void withoutDriverPodNameNothingIsPublishedAndNothingThrown() {
        createDriver(Map.of());
        conf.remove("spark.kubernetes.driver.pod.name");
        KsparkPodsAllocator allocator = newAllocator(conf);

        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));

        assertThat(allocator.driverPod().isEmpty()).isTrue();
        assertThat(allocator.successfulWrites()).isZero();
        assertThat(allocator.failedWrites()).isZero();
        assertThat(annotation()).isNull();
    }

    // ------------------------------------------------------------------ targets

    @Test
    void initialTargetIsWrittenAsPlainInteger() {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf);

        // What KubernetesClusterSchedulerBackend.start does.
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));

        awaitWritten(allocator, "3");
        assertThat(allocator.applicationId()).isEqualTo(APP_ID);
        assertThat(allocator.successfulWrites()).isEqualTo(1);
    }

    @Test
    void changesAreCoalescedToTheLatestAndOnlyWrittenWhenChanged() throws Exception {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 2));
        awaitWritten(allocator, "2");

        // Hold the writer thread: Spark's calls must still return at once, and only the last value is written.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        allocator.writerExecutor().execute(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        long before = System.nanoTime();
        for (int n : new int[] {4, 8, 16, 9, 7}) {
            allocator.setTotalExpectedExecutors(totals(defaultProfile, n));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(annotation()).isEqualTo("2");
        release.countDown();

        awaitWritten(allocator, "7");
        assertThat(allocator.successfulWrites()).isEqualTo(2);

        // The same value again is not written; the next change is.
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 7));
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 5));
        awaitWritten(allocator, "5");
        assertThat(allocator.successfulWrites()).isEqualTo(3);
        // Back and forth while the writer is busy ends where it started: nothing to write.
        CountDownLatch releaseAgain = new CountDownLatch(1);
        allocator.writerExecutor().execute(() -> awaitQuietly(releaseAgain));
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 6));
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 5));
        releaseAgain.countDown();
        allocator.writerExecutor().submit(() -> { }).get(10, TimeUnit.SECONDS); // the writer has caught up
        assertThat(allocator.successfulWrites()).isEqualTo(3);
        assertThat(annotation()).isEqualTo("5");
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 1));
        awaitWritten(allocator, "1");
        assertThat(allocator.successfulWrites()).isEqualTo(4);
        assertThat(allocator.failedWrites()).isZero();
    }

    @Test
    void concurrentCallersEndWithTheLastValue() throws Exception {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        java.util.concurrent.ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        allocator.setTotalExpectedExecutors(totals(defaultProfile, (i * 7 + offset) % 40));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 42));

        awaitWritten(allocator, "42");
        assertThat(allocator.successfulWrites()).isLessThan(1001);
        assertThat(allocator.failedWrites()).isZero();
    }

    @Test
    void targetAlreadyOnTheDriverPodIsNotWrittenAgain() {
        createDriver(Map.of(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION, "3", "other", "kept"));
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);

        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 4));

        awaitWritten(allocator, "4");
        assertThat(allocator.successfulWrites()).isEqualTo(1);
        assertThat(driver().getMetadata().getAnnotations()).containsEntry("other", "kept");
    }

    @Test
    void perProfileTargetsAreWrittenAsSortedList() {
        createDriver(Map.of());
        ResourceProfile gpu = new ResourceProfileBuilder().require(new ExecutorResourceRequests().cores(2)).build();
        int gpuId = gpu.id();
        assertThat(gpuId).isGreaterThan(0);
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 1));
        awaitWritten(allocator, "1");

        allocator.setTotalExpectedExecutors(totals(gpu, 2, defaultProfile, 3));
        awaitWritten(allocator, "0=3," + gpuId + "=2");

        // Like Spark's allocator, a profile Spark does not mention keeps its total; one that drops to 0 stays listed.
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 4));
        awaitWritten(allocator, "0=4," + gpuId + "=2");
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 4, gpu, 0));
        awaitWritten(allocator, "0=4," + gpuId + "=0");

        allocator.stop(APP_ID);
        assertThat(annotation()).isEqualTo("0=0," + gpuId + "=0");
    }

    @Test
    void theResourcesOfNonDefaultProfilesAreWrittenWithTheirTargetsInOnePatch() {
        createDriver(Map.of());
        ResourceProfile gpu = new ResourceProfileBuilder().require(new ExecutorResourceRequests().cores(4).memory("6g")
                .memoryOverhead("1g").resource("gpu", 2, "/opt/spark/getGpus.sh", "nvidia.com")).build();
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 1));
        awaitWritten(allocator, "1");
        assertThat(driver().getMetadata().getAnnotations()).doesNotContainKey(ProfileResources.ANNOTATION);
        long writesBefore = allocator.successfulWrites();

        allocator.setTotalExpectedExecutors(totals(defaultProfile, 1, gpu, 2));

        awaitWritten(allocator, "0=1," + gpu.id() + "=2");
        assertThat(allocator.successfulWrites()).isEqualTo(writesBefore + 1);
        assertThat(driver().getMetadata().getAnnotations()).containsEntry(ProfileResources.ANNOTATION, "{\"" + gpu.id() + "\":{"
                + "\"cores\":{\"amount\":4},\"gpu\":{\"amount\":2,\"vendor\":\"nvidia.com\"},\"memory\":{\"amount\":6144},"
                + "\"memoryOverhead\":{\"amount\":1024}}}");

        // A profile is described once: later totals change the target only.
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 1, gpu, 3));
        awaitWritten(allocator, "0=1," + gpu.id() + "=3");
        assertThat(driver().getMetadata().getAnnotations().get(ProfileResources.ANNOTATION)).startsWith("{\"" + gpu.id() + "\":{\"cores\"");
    }

    @Test
    void stopWritesZeroBeforeReturningAndIgnoresLaterTotals() {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 5));
        awaitWritten(allocator, "5");

        allocator.stop(APP_ID);

        assertThat(annotation()).isEqualTo("0");
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 6));
        allocator.stop(APP_ID);
        assertThat(allocator.writerExecutor().isShutdown()).isTrue();
        assertThat(annotation()).isEqualTo("0");
        assertThat(allocator.successfulWrites()).isEqualTo(2);
    }

    @Test
    void stopBeforeAnyTargetWritesZero() {
        createDriver(Map.of(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION, "2"));
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);

        allocator.stop(APP_ID);

        assertThat(annotation()).isEqualTo("0");
    }

    @Test
    void failingApiIsRetriedWithoutThrowingIntoSpark() {
        createDriver(Map.of());
        // Two failures, then the CRUD mock applies the patch.
        server.expect().patch().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + DRIVER)
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd is sad\"}").times(2);
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);

        long before = System.nanoTime();
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));

        awaitWritten(allocator, "3");
        assertThat(allocator.failedWrites()).isEqualTo(2);
        assertThat(allocator.successfulWrites()).isEqualTo(1);
    }

    @Test
    void stopDoesNotSitOutARetryBackoff() {
        createDriver(Map.of());
        conf.set(KsparkPodsAllocator.RETRY_INITIAL_BACKOFF, "60s").set(KsparkPodsAllocator.RETRY_MAX_BACKOFF, "60s");
        server.expect().patch().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + DRIVER)
                .andReturn(500, "{}").once();
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));
        await().atMost(WAIT).until(() -> allocator.failedWrites() == 1);

        long before = System.nanoTime();
        allocator.stop(APP_ID);

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(annotation()).isEqualTo("0");
    }

    @Test
    void stopGivesUpAfterItsTimeoutWhenTheApiKeepsFailing() {
        createDriver(Map.of());
        conf.set(KsparkPodsAllocator.STOP_TIMEOUT, "300ms");
        server.expect().patch().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + DRIVER)
                .andReturn(503, "{}").always();
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));
        await().atMost(WAIT).until(() -> allocator.failedWrites() >= 1);

        long before = System.nanoTime();
        allocator.stop(APP_ID);

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(allocator.successfulWrites()).isZero();
        assertThat(allocator.writerExecutor().isShutdown()).isTrue();
    }

    // ------------------------------------------------------------------ isDeleted

    @Test
    void isDeletedFollowsTheSnapshots() {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        Pod one = Fixtures.executorPod(1, "Running");
        Pod two = Fixtures.executorPod(2, "Pending");
        store.updatePod(one);
        store.updatePod(two);
        store.updatePod(Fixtures.executorPod(3, "Running"));

        // Being deleted: deletion timestamp set while the pod still runs (Spark's state: PodRunning) ...
        store.updatePod(Fixtures.beingDeleted(one));
        await().atMost(WAIT).until(() -> allocator.isDeleted("1"));
        assertThat(allocator.isDeleted("2")).isFalse();

        // Spark's PodDeleted state (deletion timestamp on a pod that no longer runs).
        store.updatePod(Fixtures.beingDeleted(Fixtures.executorPod(4, "Failed")));
        await().atMost(WAIT).until(() -> allocator.isDeleted("4"));
        assertThat(allocator.isDeleted("3")).isFalse();
        assertThat(allocator.isDeleted("5")).isFalse();
        assertThat(allocator.isDeleted("not-a-number")).isFalse();

        // A pod missing from a full snapshot proves nothing (a poll may predate it), and one that is gone can no longer
        // register: both leave the set, as in Spark's allocator.
        store.replaceSnapshot(Fixtures.scalaList(List.of(Fixtures.executorPod(3, "Running"))));
        await().atMost(WAIT).until(() -> !allocator.isDeleted("1") && !allocator.isDeleted("4"));
        assertThat(allocator.isDeleted("2")).isFalse();
    }

    @Test
    void aPollTakenBeforeAnExecutorWasCreatedDoesNotRefuseIt() {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        // The watch shows executor 5 created; a poll listed just before arrives after; the watch then shows it running.
        store.updatePod(Fixtures.executorPod(4, "Running"));
        store.updatePod(Fixtures.executorPod(5, "Pending"));
        store.replaceSnapshot(Fixtures.scalaList(List.of(Fixtures.executorPod(4, "Running"))));
        store.updatePod(Fixtures.executorPod(5, "Running"));
        store.updatePod(Fixtures.beingDeleted(Fixtures.executorPod(4, "Running")));

        await().atMost(WAIT).until(() -> allocator.isDeleted("4"));
        assertThat(allocator.isDeleted("5")).as("a live executor is not refused at registration").isFalse();
    }

    @Test
    void isDeletedWithSparksOwnWatchAndPollingSources() {
        createDriver(Map.of());
        conf.set("spark.kubernetes.executor.apiPollingInterval", "200ms");
        KsparkPodsAllocator allocator = newAllocator(conf);
        ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor();
        ExecutorPodsWatchSnapshotSource watch = new ExecutorPodsWatchSnapshotSource(store, pluginClient, conf);
        ExecutorPodsPollingSnapshotSource poll = new ExecutorPodsPollingSnapshotSource(conf, pluginClient, store, polling);
        try {
            allocator.start(APP_ID, null);
            watch.start(APP_ID);
            poll.start(APP_ID);
            // kspark creates two executors.
            for (long id : new long[] {1, 2}) {
                Pod pod = Fixtures.executorPod(id, "Running");
                client.pods().inNamespace(NAMESPACE).resource(pod).create();
                createdByTest.add(pod.getMetadata().getName());
            }
            // Spark (doKillExecutors) or kspark deletes executor 1. (The CRUD mock removes a pod at once, without the
            // deletion timestamp a real API server shows first; that mark is covered with Spark's store above.)
            client.pods().inNamespace(NAMESPACE).withName("spark-pi-exec-1").delete();

            // Watch events and 200 ms polls interleave for a while: the live executor 2 is never refused, and the
            // gone executor 1 is not remembered (its pod cannot register any more).
            await().during(java.time.Duration.ofSeconds(1)).atMost(WAIT).until(() -> !allocator.isDeleted("2"));
            assertThat(allocator.isDeleted("1")).isFalse();
        } finally {
            watch.stop();
            poll.stop();
        }
    }

    // ------------------------------------------------------------------ client mode: hand-over

    @Test
    void clientModeDriverIsHandedOverWithItsConfBeforeAnyTarget() throws Exception {
        // A notebook pod that an earlier application in it left labelled and annotated.
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of("spark-app-selector", "spark-old"),
                Map.of(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION, "0", "kspark.io/last-executor-id", "7",
                        "kspark.io/executor-failures", "2", "kspark.io/counted-failures", "5,6", "kspark.io/executor-failure-times",
                        "2026-12-01T21:00:00Z", "kspark.io/allocation-stopped", "too many failures", "other", "kept"))).create();
        conf.set("spark.driver.host", "10.1.2.3").set("spark.driver.port", "41234")
                .set("spark.hadoop.fs.s3a.secret.key", "s3cr3t").set("spark.executorEnv.API_TOKEN", "abc")
                .set("spark.some.header", "Bearer token-abc");
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));
        // Nothing is written before start: the pod still belongs to the earlier application.
        allocator.writerExecutor().submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertThat(allocator.successfulWrites()).isZero();

        allocator.start(APP_ID, null);

        awaitWritten(allocator, "3");
        Pod pod = driver();
        assertThat(pod.getMetadata().getLabels()).containsEntry("spark-app-selector", APP_ID).containsEntry("spark-role", "driver")
                .containsEntry(KsparkPodsAllocator.RECONCILER_LABEL, "controller").containsEntry("app", "jupyter");
        String name = APP_ID + "-driver-conf";
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(DriverHandOver.SPARK_CONF_ANNOTATION, name)
                .containsEntry(DriverHandOver.SPARK_USER_ANNOTATION, org.apache.spark.util.Utils.getCurrentUserName())
                .containsEntry("other", "kept");
        // The first heartbeat comes with the hand-over.
        assertThat(java.time.Instant.parse(pod.getMetadata().getAnnotations().get(DriverHandOver.HEARTBEAT_ANNOTATION)))
                .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        // Removed (the CRUD mock keeps merge-patched nulls as null values, a real API server drops the keys).
        assertThat(DriverHandOver.PER_APP_ANNOTATIONS).allSatisfy(key -> assertThat(pod.getMetadata().getAnnotations().get(key)).isNull());
        var configMap = client.configMaps().inNamespace(NAMESPACE).withName(name).get();
        assertThat(configMap.getMetadata().getLabels()).containsEntry("spark-app-selector", APP_ID)
                .containsEntry(DriverHandOver.ROLE_LABEL, DriverHandOver.ROLE_DRIVER_CONF);
        assertThat(configMap.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(pod.getMetadata().getUid()));
        java.util.Properties published = new java.util.Properties();
        published.load(new java.io.StringReader(configMap.getData().get(DriverHandOver.PROPERTIES_KEY)));
        assertThat(published).containsEntry("spark.app.id", APP_ID).containsEntry("spark.driver.host", "10.1.2.3")
                .containsEntry("spark.driver.port", "41234").containsEntry("spark.kubernetes.driver.pod.name", DRIVER)
                .doesNotContainKeys("spark.hadoop.fs.s3a.secret.key", "spark.executorEnv.API_TOKEN")
                // Secrets are recognised by key, as Spark's redaction does; a value is what the key says it is.
                .containsEntry("spark.some.header", "Bearer token-abc");
        assertThat(allocator.successfulWrites()).isEqualTo(1);
    }

    @Test
    void theHandOverRemovesTheConfOfTheApplicationThisPodDroveBefore() {
        Pod notebook = client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of("spark-app-selector", "spark-old"),
                Map.of())).create();
        io.fabric8.kubernetes.api.model.ConfigMap earlier = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("spark-old-driver-conf").addToLabels(DriverHandOver.ROLE_LABEL, DriverHandOver.ROLE_DRIVER_CONF)
                .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(DRIVER).withUid(notebook.getMetadata().getUid())
                .endOwnerReference().endMetadata().build();
        io.fabric8.kubernetes.api.model.ConfigMap otherPods = new io.fabric8.kubernetes.api.model.ConfigMapBuilder(earlier).editMetadata()
                .withName("spark-other-driver-conf").editFirstOwnerReference().withName("jupyter-1").withUid("other-uid").endOwnerReference()
                .endMetadata().build();
        client.configMaps().inNamespace(NAMESPACE).resource(earlier).create();
        client.configMaps().inNamespace(NAMESPACE).resource(otherPods).create();
        KsparkPodsAllocator allocator = newAllocator(conf);

        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 1));

        awaitWritten(allocator, "1");
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(NAMESPACE).withName("spark-old-driver-conf").get() == null);
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName(APP_ID + "-driver-conf").get()).isNotNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("spark-other-driver-conf").get()).isNotNull();
    }

    @Test
    void handOverWithoutATargetYetRemovesTheEarlierApplicationsTarget() {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of(),
                Map.of(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION, "5", ProfileResources.ANNOTATION, "{\"1\":{\"cores\":{\"amount\":8}}}")))
                .create();
        KsparkPodsAllocator allocator = newAllocator(conf);

        allocator.start(APP_ID, null);

        await().atMost(WAIT).until(() -> driver().getMetadata().getAnnotations().containsKey(DriverHandOver.SPARK_CONF_ANNOTATION));
        assertThat(annotation()).isNull();
        // The earlier application's profile 1 is not this one's (ids start again in a new driver JVM).
        assertThat(driver().getMetadata().getAnnotations().get(ProfileResources.ANNOTATION)).isNull();
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 2));
        awaitWritten(allocator, "2");
    }

    @Test
    void handOverRetriesFailuresAndKeepsItsOwnEarlierConfigMap() {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of(), Map.of())).create();
        server.expect().post().withPath("/api/v1/namespaces/" + NAMESPACE + "/configmaps")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500}").once();
        server.expect().patch().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + DRIVER)
                .andReturn(503, "{}").once();
        KsparkPodsAllocator allocator = newAllocator(conf);

        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 2));

        // 500 on the ConfigMap, then 503 on the pod (the ConfigMap now exists: 409 next time), then done.
        awaitWritten(allocator, "2");
        assertThat(allocator.failedWrites()).isEqualTo(2);
        assertThat(driver().getMetadata().getLabels()).containsEntry("spark-app-selector", APP_ID);
        assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void clusterModeDriverPodIsNotHandedOver() {
        createDriver(Map.of());
        KsparkPodsAllocator allocator = newAllocator(conf.set(KsparkPodsAllocator.HEARTBEAT_INTERVAL, "100ms"));
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 2));

        awaitWritten(allocator, "2");
        assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(driver().getMetadata().getAnnotations()).doesNotContainKey(DriverHandOver.SPARK_CONF_ANNOTATION);
        // A submitted driver's pod ends with the driver: it needs no heartbeat.
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> allocator.heartbeats() == 0 && !driver().getMetadata().getAnnotations().containsKey(DriverHandOver.HEARTBEAT_ANNOTATION));
    }

    @Test
    void clientModeDriverRenewsItsHeartbeatUntilStop() {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of(), Map.of())).create();
        KsparkPodsAllocator allocator = newAllocator(conf.set(KsparkPodsAllocator.HEARTBEAT_INTERVAL, "100ms"));
        allocator.start(APP_ID, null);
        await().atMost(WAIT).until(() -> driver().getMetadata().getAnnotations().containsKey(DriverHandOver.HEARTBEAT_ANNOTATION));
        String first = driver().getMetadata().getAnnotations().get(DriverHandOver.HEARTBEAT_ANNOTATION);

        await().atMost(WAIT).until(() -> allocator.heartbeats() >= 2);
        String later = driver().getMetadata().getAnnotations().get(DriverHandOver.HEARTBEAT_ANNOTATION);
        assertThat(java.time.Instant.parse(later)).isAfter(java.time.Instant.parse(first));

        allocator.stop(APP_ID);
        long afterStop = allocator.heartbeats();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> allocator.heartbeats() == afterStop);
    }

    @Test
    void stopWithoutStartWritesNothingOnANotebookPod() {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.notebookPod(Map.of("spark-app-selector", "spark-old"),
                Map.of(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION, "2"))).create();
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 3));

        allocator.stop(APP_ID);

        assertThat(annotation()).isEqualTo("2");
        assertThat(driver().getMetadata().getLabels()).containsEntry("spark-app-selector", "spark-old");
        assertThat(allocator.successfulWrites()).isZero();
    }

    @Test
    void sparkAuthenticateIsRefusedNamingTheKey() {
        createDriver(Map.of());
        conf.set("spark.authenticate", "true");

        assertThatThrownBy(() -> newAllocator(conf)).isInstanceOf(WrappedCause.class)
                .cause().isInstanceOf(SparkException.class).hasMessageStartingWith("spark.authenticate: ");
    }

    @Test
    void sparkAuthenticateWithASecretFileIsAccepted() {
        createDriver(Map.of());
        conf.set("spark.authenticate", "true").set("spark.authenticate.secret.file", "/mnt/spark-secret/key");

        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);
        allocator.setTotalExpectedExecutors(totals(defaultProfile, 2));

        awaitWritten(allocator, "2");
    }

    @Test
    void stopDeletesTheApplicationsExecutorPodsOnly() throws InterruptedException {
        createDriver(Map.of());
        for (long id : new long[] {1, 2}) {
            client.pods().inNamespace(NAMESPACE).resource(Fixtures.executorPod(id, "Running")).create();
        }
        Pod otherApp = new io.fabric8.kubernetes.api.model.PodBuilder(Fixtures.executorPod(9, "Running")).editMetadata()
                .withName("other-exec-9").addToLabels("spark-app-selector", "spark-other").endMetadata().build();
        client.pods().inNamespace(NAMESPACE).resource(otherApp).create();
        createdByTest.add("other-exec-9");
        KsparkPodsAllocator allocator = newAllocator(conf);
        allocator.start(APP_ID, null);

        allocator.stop(APP_ID);

        // Spark's own request: one label-selected delete of the collection, not one call per pod.
        var last = server.getLastRequest();
        assertThat(last.getMethod()).isEqualTo("DELETE");
        assertThat(java.net.URLDecoder.decode(last.getPath(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("/api/v1/namespaces/" + NAMESPACE + "/pods?")
                .contains("labelSelector=spark-app-selector=" + APP_ID + ",spark-role=executor");
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(DRIVER, "other-exec-9");
        assertThat(annotation()).isEqualTo("0");
    }

    // ------------------------------------------------------------------ helpers

    /** Constructs the allocator exactly as Spark's KubernetesClusterManager.makeExecutorPodsAllocator does. */
    private KsparkPodsAllocator newAllocator(SparkConf sparkConf) {
        try {
            Class<?> cls = Class.forName("io.kspark.spark.KsparkPodsAllocator", true, Thread.currentThread().getContextClassLoader());
            Constructor<?> constructor = cls.getConstructor(SparkConf.class, SecurityManager.class, KubernetesExecutorBuilder.class,
                    KubernetesClient.class, ExecutorPodsSnapshotsStore.class, Clock.class);
            KsparkPodsAllocator allocator = (KsparkPodsAllocator) constructor.newInstance(sparkConf, new SecurityManager(sparkConf,
                    SecurityManager.$lessinit$greater$default$2(), SecurityManager.$lessinit$greater$default$3()), new KubernetesExecutorBuilder(), pluginClient, store,
                    new SystemClock());
            allocators.add(allocator);
            return allocator;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new WrappedCause(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void createDriver(Map<String, String> annotations) {
        client.pods().inNamespace(NAMESPACE).resource(Fixtures.driverPod(annotations)).create();
    }

    /** Waits until the allocator has written {@code value} (its counters are updated by then) and the pod shows it. */
    private void awaitWritten(KsparkPodsAllocator allocator, String value) {
        await().atMost(WAIT).until(() -> value.equals(allocator.publishedTarget()) && value.equals(annotation()));
    }

    private Pod driver() {
        return client.pods().inNamespace(NAMESPACE).withName(DRIVER).get();
    }

    private String annotation() {
        Map<String, String> annotations = driver().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KsparkPodsAllocator.EXECUTOR_TARGET_ANNOTATION);
    }

    /** Carries a checked exception from the constructor to the assertion. */
    private static final class WrappedCause extends RuntimeException {
        WrappedCause(Throwable cause) {
            super(cause);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
