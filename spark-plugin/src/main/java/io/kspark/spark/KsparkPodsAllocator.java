package io.kspark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.scheduler.cluster.k8s.AbstractPodsAllocator;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodState;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodsSnapshot;
import org.apache.spark.scheduler.cluster.k8s.ExecutorPodsSnapshotsStore;
import org.apache.spark.scheduler.cluster.k8s.KubernetesClusterSchedulerBackend;
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder;
import org.apache.spark.scheduler.cluster.k8s.PodDeleted;
import org.apache.spark.scheduler.cluster.k8s.PodTerminating;
import org.apache.spark.util.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.Option;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A Spark pods allocator that hands executor allocation to kspark.
 *
 * <p>Spark's driver loads it through {@code spark.kubernetes.allocation.pods.allocator=io.kspark.spark.KsparkPodsAllocator}
 * ({@code KubernetesClusterManager.makeExecutorPodsAllocator}, which looks up the constructor
 * {@code (SparkConf, SecurityManager, KubernetesExecutorBuilder, KubernetesClient, ExecutorPodsSnapshotsStore, Clock)}).
 * It never creates executor pods. Instead it publishes the executor totals Spark wants in the driver pod's
 * annotation {@value #EXECUTOR_TARGET_ANNOTATION}, from which a kspark reconciler (controller or sidecar) creates and
 * deletes the executor pods:
 * <ul>
 *   <li>a plain count ({@code 5}) while only the default resource profile (id 0) has a target,</li>
 *   <li>otherwise {@code <profileId>=<count>} pairs sorted by profile id ({@code 0=3,1=2}).</li>
 * </ul>
 * Like Spark's own allocator it remembers every profile it was given a total for (Spark never forgets a
 * profile either), so a profile whose total drops to 0 stays in the list as {@code <id>=0}.
 *
 * <p>Writes never block Spark: {@link #setTotalExpectedExecutors} records the totals and wakes a single
 * background writer, which coalesces to the latest value, writes it with a JSON merge patch on the driver
 * pod's {@code metadata.annotations} only if it differs from the last value written (or found on the pod),
 * and retries with exponential backoff on API failures. Failures are logged, never thrown into Spark.
 *
 * <p>{@link #isDeleted} is answered from the executor pod snapshots Spark's watch and poll sources feed into
 * the {@link ExecutorPodsSnapshotsStore}: an executor counts as deleted once its pod is being deleted (deletion
 * timestamp set, or Spark's {@code PodDeleted}/{@code PodTerminating} state) or once its pod, seen before, is
 * missing from a later snapshot. kspark never reuses executor ids, so this is kept for the life of the driver.
 *
 * <p><b>Client mode.</b> A driver that runs in a pod no submission created (a notebook, exposed with
 * {@code kspark expose}) has no Spark conf ConfigMap and no app id label. At {@link #start} the writer first hands the
 * pod over ({@link DriverHandOver}): it publishes the running driver's conf (secrets left out) in a ConfigMap owned by
 * the pod, then labels the pod with the app id and names that ConfigMap in {@value DriverHandOver#SPARK_CONF_ANNOTATION},
 * together with the first target, in one patch. No target is written before that, so a reconciler never acts on a
 * label left by an earlier application in the same pod.
 *
 * <p>{@link #stop} deletes the application's executor pods after writing target 0, as Spark's own allocator does.
 *
 * <p>The code only uses API that Spark 3.5 and 4.x (Scala 2.12 and 2.13, fabric8 6.x and 7.x) share in binary
 * form; see the module's README.
 */
public class KsparkPodsAllocator extends AbstractPodsAllocator {

    /** The driver pod annotation that carries the executor target. */
    public static final String EXECUTOR_TARGET_ANNOTATION = "kspark.io/executor-target";
    /** The driver pod label a kspark reconciler selects drivers by. */
    public static final String RECONCILER_LABEL = "kspark.io/reconciler";

    /** First retry delay after a failed write. */
    public static final String RETRY_INITIAL_BACKOFF = "spark.kspark.allocator.retry.initialBackoff";
    /** Upper bound of the retry delay. */
    public static final String RETRY_MAX_BACKOFF = "spark.kspark.allocator.retry.maxBackoff";
    /**
     * How often a client-mode driver renews {@value DriverHandOver#HEARTBEAT_ANNOTATION}; a kspark reconciler removes
     * the executors of a driver whose heartbeat is four intervals old, once they exit (as they do without a driver).
     */
    public static final String HEARTBEAT_INTERVAL = "spark.kspark.driver.heartbeatInterval";
    /** How long {@link #stop} waits for the final target 0 to be written. */
    public static final String STOP_TIMEOUT = "spark.kspark.allocator.stopTimeout";

    static final int DEFAULT_PROFILE_ID = 0;

    private static final Logger LOG = LoggerFactory.getLogger(KsparkPodsAllocator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final SparkConf conf;
    private final ExecutorPodsSnapshotsStore snapshotsStore;
    private final String namespace;
    private final String driverPodName;
    private final Option<Pod> driverPod;
    private final long snapshotBatchMillis;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final long stopTimeoutMillis;
    private final long heartbeatMillis;
    /** The driver pod has no Spark conf of its own (client mode): hand it over at start. */
    private final boolean handOverNeeded;

    private final Object lock = new Object();
    /** Total executors per resource profile id, as Spark last asked for them. Guarded by {@link #lock}. */
    private final TreeMap<Integer, Integer> targets = new TreeMap<>();
    /** The annotation value the writer should make true. Guarded by {@link #lock}. */
    private String desired;
    /** The annotation value last written (or found on the driver pod). Guarded by {@link #lock}. */
    private String published;
    /** The resources of the non-default profiles Spark asked for, written with the target. Guarded by {@link #lock}. */
    private final ProfileResources profiles = new ProfileResources();
    /** {@link ProfileResources#ANNOTATION}'s value last written (or found on the driver pod). Guarded by {@link #lock}. */
    private String publishedProfiles;
    /** Whether a write is scheduled, running or waiting for its retry. Guarded by {@link #lock}. */
    private boolean writing;
    /** Consecutive failed writes. Guarded by {@link #lock}. */
    private int failures;
    /** The retry waiting for its backoff to pass, if any. Guarded by {@link #lock}. */
    private ScheduledFuture<?> pendingRetry;
    /** Set by {@link #stop}; later totals are ignored. Guarded by {@link #lock}. */
    private boolean stopped;
    /** Set by {@link #start}; nothing is written before. Guarded by {@link #lock}. */
    private boolean started;
    /** The client-mode hand-over still to write, if any. Guarded by {@link #lock}. */
    private DriverHandOver pendingHandOver;

    private final ScheduledThreadPoolExecutor writer;
    private final AtomicBoolean noDriverPodWarned = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();

    /**
     * Executors whose pods the latest snapshot shows being deleted: Spark refuses their registration. Only positive
     * evidence counts (a pod missing from one snapshot may be a poll taken before it was created), and an id leaves
     * the set when its pod does, as in Spark's own allocator.
     */
    private final Set<Long> deletedExecutors = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean subscribed = new AtomicBoolean();

    private volatile String applicationId;

    /**
     * The constructor Spark's {@code KubernetesClusterManager} looks up by reflection (same in Spark 3.5 and 4.x).
     * The executor builder, security manager and clock are not used: kspark builds the executor pods.
     *
     * @throws SparkException when {@code spark.kubernetes.driver.pod.name} names a pod that does not exist (as Spark's
     *                        own allocator does), or with {@code spark.authenticate=true} and no executor secret file
     *                        (kspark's executors could not get the secret that is generated inside this driver)
     */
    public KsparkPodsAllocator(SparkConf conf, SecurityManager secMgr, KubernetesExecutorBuilder executorBuilder,
                               KubernetesClient kubernetesClient, ExecutorPodsSnapshotsStore snapshotsStore, Clock clock)
            throws SparkException {
        this.client = Objects.requireNonNull(kubernetesClient, "kubernetesClient");
        this.conf = Objects.requireNonNull(conf, "conf");
        // Executors that read the secret from a file of their own need nothing from this driver (Spark's executor.file
        // key falls back to spark.authenticate.secret.file).
        if (conf.getBoolean("spark.authenticate", false) && !conf.contains("spark.authenticate.secret.executor.file")
                && !conf.contains("spark.authenticate.secret.file")) {
            throw new SparkException("spark.authenticate: true cannot be used with the kspark allocator unless executors read the secret"
                    + " from a file (spark.authenticate.secret.file, or .driver.file and .executor.file): a generated secret lives"
                    + " inside the driver, and kspark builds the executors; or use Spark's own allocator");
        }
        this.snapshotsStore = Objects.requireNonNull(snapshotsStore, "snapshotsStore");
        this.namespace = conf.get("spark.kubernetes.namespace", "default");
        this.driverPodName = conf.contains("spark.kubernetes.driver.pod.name") ? conf.get("spark.kubernetes.driver.pod.name") : null;
        this.snapshotBatchMillis = Math.max(1, conf.getTimeAsMs("spark.kubernetes.allocation.batch.delay", "1s"));
        this.initialBackoffMillis = Math.max(1, conf.getTimeAsMs(RETRY_INITIAL_BACKOFF, "500ms"));
        this.maxBackoffMillis = Math.max(initialBackoffMillis, conf.getTimeAsMs(RETRY_MAX_BACKOFF, "30s"));
        this.stopTimeoutMillis = Math.max(0, conf.getTimeAsMs(STOP_TIMEOUT, "10s"));
        this.heartbeatMillis = Math.max(100, conf.getTimeAsMs(HEARTBEAT_INTERVAL, "30s"));

        if (driverPodName == null) {
            this.driverPod = Option.empty();
            this.handOverNeeded = false;
        } else {
            // Like Spark's own allocator: the driver pod must exist when the driver names it.
            Pod pod = client.pods().inNamespace(namespace).withName(driverPodName).get();
            if (pod == null) {
                throw new SparkException("No pod was found named " + driverPodName + " in the cluster in the namespace "
                        + namespace + " (this was supposed to be the driver pod.).");
            }
            this.driverPod = Option.apply(pod);
            this.handOverNeeded = DriverHandOver.needed(pod);
            Map<String, String> annotations = pod.getMetadata().getAnnotations();
            this.published = annotations == null ? null : annotations.get(EXECUTOR_TARGET_ANNOTATION);
            this.publishedProfiles = annotations == null ? null : annotations.get(ProfileResources.ANNOTATION);
        }

        this.writer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kspark-executor-target-writer");
            thread.setDaemon(true);
            return thread;
        });
        this.writer.setRemoveOnCancelPolicy(true);
        this.writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    // ---------------------------------------------------------------- AbstractPodsAllocator

    @Override
    public Option<Pod> driverPod() {
        return driverPod;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void start(String applicationId, KubernetesClusterSchedulerBackend schedulerBackend) {
        this.applicationId = applicationId;
        DriverHandOver handOver = handOverNeeded ? DriverHandOver.of(driverPod.get(), applicationId, confNow(),
                DriverHandOver.redaction(conf.get("spark.redaction.regex", DriverHandOver.DEFAULT_REDACTION)),
                // What Spark's own executor builder puts in SPARK_USER: SPARK_USER, else the Hadoop (OS) user.
                org.apache.spark.util.Utils.getCurrentUserName()) : null;
        if (handOver != null) {
            LOG.info("Driver pod {}/{} runs a client-mode driver: handing application {} over with its Spark conf in ConfigMap {}",
                    namespace, driverPodName, applicationId, handOver.configMap().getMetadata().getName());
            if (!handOver.leftOut().isEmpty()) {
                LOG.info("Left out of that ConfigMap as secrets (spark.redaction.regex): {}", handOver.leftOut());
            }
        }
        if (driverPod.isDefined()) {
            Pod pod = driverPod.get();
            Map<String, String> labels = pod.getMetadata().getLabels();
            String reconciler = labels == null ? null : labels.get(RECONCILER_LABEL);
            if (reconciler == null) {
                LOG.warn("Driver pod {}/{} has no label {}: no kspark reconciler will pick it up, so no executors will be "
                        + "created for application {}. Label the driver pod (e.g. spark.kubernetes.driver.label.{}=controller) "
                        + "or use Spark's own allocator.", namespace, driverPodName, RECONCILER_LABEL, applicationId, RECONCILER_LABEL);
            } else {
                LOG.info("Executor allocation of application {} is handed to kspark ({}={}); targets go to annotation {} of "
                        + "driver pod {}/{}", applicationId, RECONCILER_LABEL, reconciler, EXECUTOR_TARGET_ANNOTATION, namespace,
                        driverPodName);
            }
        } else {
            warnNoDriverPod();
        }
        synchronized (lock) {
            started = true;
            pendingHandOver = handOver;
            wakeWriter();
        }
        if (subscribed.compareAndSet(false, true)) {
            // The callback receives a Scala Seq: scala.collection.Seq on Scala 2.12, scala.collection.immutable.Seq on
            // 2.13. Taking it as Object and reading it as scala.collection.Iterable works on both.
            Function1 callback = (Function1<Object, BoxedUnit>) snapshots -> {
                onNewSnapshots((scala.collection.Iterable<Object>) snapshots);
                return BoxedUnit.UNIT;
            };
            snapshotsStore.addSubscriber(snapshotBatchMillis, callback);
        }
    }

    @Override
    public void setTotalExpectedExecutors(scala.collection.immutable.Map<ResourceProfile, Object> resourceProfileToTotalExecs) {
        try {
            String value;
            synchronized (lock) {
                if (stopped) {
                    LOG.debug("Ignoring executor totals after stop: {}", resourceProfileToTotalExecs);
                    return;
                }
                scala.collection.Iterator<Tuple2<ResourceProfile, Object>> entries = resourceProfileToTotalExecs.iterator();
                while (entries.hasNext()) {
                    Tuple2<ResourceProfile, Object> entry = entries.next();
                    targets.put(entry._1().id(), Math.max(0, ((Number) entry._2()).intValue()));
                    // Written with the targets, in one patch: kspark never sees a profile's target before its resources.
                    profiles.add(entry._1());
                }
                value = formatTargets(targets);
                // In the same hold of the lock: a caller overtaken here must not publish its older total after ours.
                publish(value);
            }
            LOG.debug("Spark wants executors {}", value);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // never into Spark's scheduler threads
            LOG.warn("Could not record the executor totals {}", resourceProfileToTotalExecs, e);
        }
    }

    @Override
    public boolean isDeleted(String executorId) {
        try {
            return deletedExecutors.contains(Long.parseLong(executorId.trim()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Publishes target 0 for every known profile (the driver is going away; kspark removes the executors) and waits
     * up to {@value #STOP_TIMEOUT} (default 10s) for it to be written: Spark closes the Kubernetes client and the JVM
     * right after. Spark only calls this when {@code spark.kubernetes.executor.deleteOnTermination} is true.
     */
    @Override
    public void stop(String applicationId) {
        try {
            synchronized (lock) {
                if (stopped) {
                    return;
                }
                // Stop taking totals from Spark in the same step, so that a late request cannot overtake the 0.
                stopped = true;
                if (!started && handOverNeeded) {
                    return; // never handed over: the pod's annotations belong to no application of this driver
                }
                started = true;
                if (targets.isEmpty()) {
                    targets.put(DEFAULT_PROFILE_ID, 0);
                } else {
                    targets.replaceAll((rp, n) -> 0);
                }
                String value = formatTargets(targets);
                publish(value);
                if (pendingRetry != null && pendingRetry.cancel(false)) {
                    submit(0); // do not sit out a long backoff now: try the final value at once
                }
                if (driverPod.isDefined()) {
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopTimeoutMillis);
                    long left;
                    while (!value.equals(published) && (left = deadline - System.nanoTime()) > 0) {
                        lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                    if (value.equals(published)) {
                        LOG.info("Executor target of application {} is {} on stop", applicationId, value);
                    } else {
                        LOG.warn("Executor target {} of application {} not written within {} ms on stop; kspark deletes the "
                                + "executors when the driver pod ends", value, applicationId, stopTimeoutMillis);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while writing the final executor target of application {}", applicationId);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("Could not write the final executor target of application {}", applicationId, e);
        } finally {
            writer.shutdownNow();
        }
        deleteExecutorPods(applicationId);
    }

    /**
     * As Spark's own allocator does on stop, with the same request (one label-selected delete, so one call however
     * many executors there are, well within the time Spark gives its shutdown).
     */
    private void deleteExecutorPods(String applicationId) {
        try {
            client.pods().inNamespace(namespace).withLabel("spark-app-selector", applicationId)
                    .withLabel("spark-role", "executor").delete();
            LOG.info("Deleted the executor pods of application {} on stop", applicationId);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("Could not delete the executor pods of application {} on stop; kspark deletes them once the driver pod ends: {}",
                    applicationId, describe(e));
        }
    }

    /** The running driver's conf now (spark.driver.port and the executor pod name prefix are set by then). */
    private Map<String, String> confNow() {
        Map<String, String> all = new LinkedHashMap<>();
        for (Tuple2<String, String> entry : conf.getAll()) {
            all.put(entry._1(), entry._2());
        }
        return all;
    }

    // ---------------------------------------------------------------- target writer

    /**
     * Makes {@code value} the annotation value to write and wakes the writer if it is idle. Never blocks on I/O (the
     * lock is only held for bookkeeping, never during an API call).
     */
    private void publish(String value) {
        if (driverPod.isEmpty()) {
            warnNoDriverPod();
            return;
        }
        synchronized (lock) {
            desired = value;
            wakeWriter();
        }
    }

    /** Starts the writer if it is idle and has something to write. Caller holds {@link #lock}. */
    private void wakeWriter() {
        if (started && !writing && (pendingHandOver != null || !upToDate())) {
            writing = true;
            submit(0);
        }
    }

    /** Whether the driver pod shows what there is to write. Caller holds {@link #lock}. */
    private boolean upToDate() {
        return desired == null || (desired.equals(published) && Objects.equals(profiles.annotationValue(), publishedProfiles));
    }

    /** Runs {@link #writeLatest} on the writer thread after {@code delayMillis}. Caller holds {@link #lock}. */
    private void submit(long delayMillis) {
        try {
            ScheduledFuture<?> future = writer.schedule(this::writeLatest, delayMillis, TimeUnit.MILLISECONDS);
            pendingRetry = delayMillis > 0 ? future : null;
        } catch (RejectedExecutionException e) {
            pendingRetry = null;
            writing = false;
            lock.notifyAll();
        }
    }

    private void writeLatest() {
        String value;
        String profileResources;
        DriverHandOver handOver;
        synchronized (lock) {
            pendingRetry = null;
            if (stopped && pendingHandOver != null) {
                // Never handed over, so no reconciler acts on this application: nothing to take back either.
                pendingHandOver = null;
                published = desired;
                publishedProfiles = profiles.annotationValue();
            }
            handOver = pendingHandOver;
            if (handOver == null && upToDate()) {
                writing = false;
                lock.notifyAll();
                return;
            }
            value = desired;
            profileResources = profiles.annotationValue();
        }
        try {
            if (handOver != null) {
                writeHandOver(handOver, value, profileResources);
            } else {
                patchTarget(value, profileResources);
            }
            writes.incrementAndGet();
            if (handOver != null) {
                LOG.info("Driver pod {}/{} handed over to application {} (labels, annotation {}, executor target {})", namespace,
                        driverPodName, handOver.appId(), DriverHandOver.SPARK_CONF_ANNOTATION, value);
            } else {
                LOG.info("Executor target {} written to driver pod {}/{} (annotation {})", value, namespace, driverPodName,
                        EXECUTOR_TARGET_ANNOTATION);
            }
            synchronized (lock) {
                if (handOver != null) {
                    pendingHandOver = null;
                    startHeartbeats();
                }
                published = value;
                publishedProfiles = profileResources;
                failures = 0;
                lock.notifyAll();
                submit(0); // a newer value may have arrived meanwhile
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // also LinkageError & co: the writer must never die silently inside its executor
            failedWrites.incrementAndGet();
            synchronized (lock) {
                failures++;
                long delay = backoffMillis(failures);
                LOG.warn("Could not write executor target {} to driver pod {}/{} (attempt {}), retrying in {} ms: {}", value,
                        namespace, driverPodName, failures, delay, describe(e));
                submit(delay);
            }
        }
    }

    /** The ConfigMap first (a retry finds its own earlier create), then the pod in one patch, target included. */
    private void writeHandOver(DriverHandOver handOver, String target, String profileResources) {
        try {
            client.configMaps().inNamespace(namespace).resource(handOver.configMap()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        client.pods().inNamespace(namespace).withName(driverPodName).patch(PatchContext.of(PatchType.JSON_MERGE),
                handOver.podPatch(target, profileResources, Instant.now().toString()));
        deleteEarlierConfs(handOver);
    }

    /**
     * The conf ConfigMaps of applications this pod drove before are of no use once it drives this one (they would
     * otherwise pile up, one per SparkContext, until the notebook pod goes). Best effort: they go with the pod anyway.
     */
    private void deleteEarlierConfs(DriverHandOver handOver) {
        String current = handOver.configMap().getMetadata().getName();
        String podUid = driverPod.get().getMetadata().getUid();
        try {
            for (var configMap : client.configMaps().inNamespace(namespace)
                    .withLabel(DriverHandOver.ROLE_LABEL, DriverHandOver.ROLE_DRIVER_CONF).list().getItems()) {
                boolean ours = configMap.getMetadata().getOwnerReferences().stream().anyMatch(owner -> podUid.equals(owner.getUid()));
                if (ours && !current.equals(configMap.getMetadata().getName())) {
                    client.configMaps().inNamespace(namespace).withName(configMap.getMetadata().getName()).delete();
                }
            }
        } catch (RuntimeException e) {
            LOG.info("Could not remove earlier applications' conf ConfigMaps of driver pod {}/{}: {}", namespace, driverPodName, describe(e));
        }
    }

    /**
     * From the hand-over on, renews the heartbeat on the writer thread (so it never runs beside another write) until
     * {@link #stop} shuts the writer down. A failed renewal is only logged: the next one tries again, and the
     * reconciler waits four intervals before it gives the driver up. Caller holds {@link #lock}.
     */
    private void startHeartbeats() {
        try {
            writer.scheduleWithFixedDelay(this::renewHeartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    private void renewHeartbeat() {
        try {
            client.pods().inNamespace(namespace).withName(driverPodName).patch(PatchContext.of(PatchType.JSON_MERGE),
                    DriverHandOver.heartbeatPatch(Instant.now().toString()));
            heartbeats.incrementAndGet();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // a periodic task that throws is never run again
            if (clientClosed(e)) {
                // Spark calls stop only with spark.kubernetes.executor.deleteOnTermination=true; otherwise the first sign
                // that the application has ended is its closed client. Go quiet: the heartbeat goes stale, which is how
                // the reconciler learns that this driver is gone.
                LOG.info("Application {} has ended without stopping its allocator (spark.kubernetes.executor.deleteOnTermination=false):"
                        + " no more heartbeats; kspark removes its executors once the heartbeat is stale", applicationId);
                writer.shutdown();
                return;
            }
            LOG.warn("Could not renew the heartbeat of driver pod {}/{}: {}", namespace, driverPodName, describe(e));
        }
    }

    /**
     * Spark closed the Kubernetes client it lent us. fabric8 only says so in words: an IllegalStateException "... closed"
     * (7.x, Spark 4) or "The okhttp client executor has been shutdown ... KubernetesClient.close ..." (6.x, Spark 3.5).
     */
    private static boolean clientClosed(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (message.contains("kubernetesclient.close") || ((cause instanceof IllegalStateException
                    || cause instanceof RejectedExecutionException) && message.contains("closed"))) {
                return true;
            }
        }
        return false;
    }

    private void patchTarget(String value, String profileResources) {
        ObjectNode annotations = JSON.createObjectNode();
        annotations.put(EXECUTOR_TARGET_ANNOTATION, value);
        if (profileResources != null) {
            annotations.put(ProfileResources.ANNOTATION, profileResources);
        }
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").set("annotations", annotations);
        client.pods().inNamespace(namespace).withName(driverPodName).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    }

    private long backoffMillis(int failures) {
        long delay = initialBackoffMillis;
        for (int i = 1; i < failures && delay < maxBackoffMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxBackoffMillis);
    }

    private static String describe(Throwable e) {
        if (e instanceof KubernetesClientException && ((KubernetesClientException) e).getCode() > 0) {
            return "HTTP " + ((KubernetesClientException) e).getCode() + " " + e.getMessage();
        }
        return e.toString();
    }

    private void warnNoDriverPod() {
        if (noDriverPodWarned.compareAndSet(false, true)) {
            LOG.warn("spark.kubernetes.driver.pod.name is not set: the kspark allocator cannot publish executor targets "
                    + "(annotation {} on the driver pod), so no executors will be created for this application. kspark "
                    + "needs a driver running in a pod; use Spark's own allocator otherwise.", EXECUTOR_TARGET_ANNOTATION);
        }
    }

    /** {@code 5} while only the default profile has a total, otherwise {@code 0=3,1=2} sorted by profile id. */
    static String formatTargets(Map<Integer, Integer> targets) {
        if (targets.size() == 1 && targets.containsKey(DEFAULT_PROFILE_ID)) {
            return Integer.toString(targets.get(DEFAULT_PROFILE_ID));
        }
        StringBuilder text = new StringBuilder();
        new TreeMap<>(targets).forEach((rp, n) -> text.append(text.length() == 0 ? "" : ",").append(rp).append('=').append(n));
        return text.toString();
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Called by the snapshots store, one call at a time, with the snapshots since the last call in order. Never throws:
     * the store ends the JVM when a subscriber throws an IllegalArgumentException.
     */
    private void onNewSnapshots(scala.collection.Iterable<Object> snapshots) {
        try {
            trackDeletions(snapshots);
        } catch (RuntimeException e) {
            LOG.warn("Could not read executor pod snapshots", e);
        }
    }

    private void trackDeletions(scala.collection.Iterable<Object> snapshots) {
        scala.collection.Iterator<Object> batch = snapshots.iterator();
        while (batch.hasNext()) {
            ExecutorPodsSnapshot snapshot = (ExecutorPodsSnapshot) batch.next();
            Set<Long> present = new HashSet<>();
            scala.collection.Iterator<Tuple2<Object, ExecutorPodState>> pods = snapshot.executorPods().iterator();
            while (pods.hasNext()) {
                Tuple2<Object, ExecutorPodState> entry = pods.next();
                long id = ((Number) entry._1()).longValue();
                present.add(id);
                if (isBeingDeleted(entry._2())) {
                    if (deletedExecutors.add(id)) {
                        LOG.debug("Executor {} pod is being deleted", id);
                    }
                } else {
                    deletedExecutors.remove(id);
                }
            }
            deletedExecutors.retainAll(present);
        }
    }

    private static boolean isBeingDeleted(ExecutorPodState state) {
        if (state instanceof PodDeleted || state instanceof PodTerminating) {
            return true;
        }
        Pod pod = state.pod();
        return pod != null && pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    }

    // ---------------------------------------------------------------- for tests and diagnostics

    /** Annotation writes that succeeded. */
    long successfulWrites() {
        return writes.get();
    }

    /** Heartbeats renewed after the hand-over. */
    long heartbeats() {
        return heartbeats.get();
    }

    /** Annotation writes that failed (and were retried). */
    long failedWrites() {
        return failedWrites.get();
    }

    String applicationId() {
        return applicationId;
    }

    /** The single writer thread's executor (tests occupy it to show that Spark's calls never wait for it). */
    ScheduledThreadPoolExecutor writerExecutor() {
        return writer;
    }

    /** The annotation value last written or found on the driver pod. */
    String publishedTarget() {
        synchronized (lock) {
            return published;
        }
    }
}
