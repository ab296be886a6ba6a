package io.kspark.reconciler.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.ExecutorConf;
import io.kspark.k8s.ExecutorProfile;
import io.kspark.k8s.ExecutorSpec;
import io.kspark.k8s.ExecutorSpecBuilder;
import io.kspark.k8s.steps.ExecutorResources;
import io.kspark.reconciler.model.AppKey;
import io.kspark.reconciler.model.ExecutorProfiles;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.Action;
import io.kspark.reconciler.plan.Allocation;
import io.kspark.reconciler.runtime.Backoff;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Applies planned actions to the API server, in order, idempotently: a create that finds the object
 * (409) and a delete that finds nothing (404) are done. Server errors, throttling and timeouts are
 * retried with the backoff policy; anything else stops the cycle. Blocking; run off the event loop.
 */
public final class ActionWriter {

    private static final Logger LOG = Logger.getLogger(ActionWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of one cycle's writes: what was applied, and the newest driver seen (after a patch, or read on a conflict). */
    public record Result(List<Action> applied, Optional<Pod> latestDriver, Optional<RuntimeException> failure) {
    }

    /**
     * A pod changed since the plan was made: the driver (another writer may have used the planned ids), or a pending
     * executor chosen for a lower target that started. The cycle ends and the next one plans against the change.
     */
    public static final class ConflictException extends RuntimeException {
        private final transient Pod current;

        ConflictException(String message, Pod current) {
            super(message);
            this.current = current;
        }

        /** The driver as the server has it now, when the writer read it. */
        Optional<Pod> current() {
            return Optional.ofNullable(current);
        }
    }

    /** This replica stopped leading: it writes nothing more, the cycle ends and the new leader carries on. */
    public static final class NotLeaderException extends RuntimeException {
        NotLeaderException() {
            super("no longer the leader");
        }
    }

    private final KubernetesClient client;
    private final String mode;
    private final Backoff backoff;
    private final int attempts;
    private final Clock clock;
    private final BooleanSupplier leader;

    /** {@code leader} is asked before every action and every retry: a cycle must not write on after its replica lost the Lease. */
    public ActionWriter(KubernetesClient client, String mode, Backoff backoff, int attempts, Clock clock, BooleanSupplier leader) {
        this.client = client;
        this.mode = mode;
        this.backoff = backoff;
        this.attempts = attempts;
        this.clock = clock;
        this.leader = leader;
    }

    /** Applies {@code actions} in order, stopping at the first that fails. */
    public Result apply(AppKey key, Pod driver, Optional<AppContext> context, List<Action> actions) {
        return apply(key, driver, context, actions, ReusableClaims.of(client, key, clock.instant(),
                context.map(c -> c.settings().podCreationTimeout()).orElse(Duration.ZERO)));
    }

    /** As {@link #apply(AppKey, Pod, Optional, List)}, new executors taking free claims from {@code reusable}. */
    public Result apply(AppKey key, Pod driver, Optional<AppContext> context, List<Action> actions, ReusableClaims reusable) {
        List<Action> applied = new ArrayList<>();
        Optional<Pod> written = Optional.empty();
        Map<Integer, ExecutorProfile> profiles;
        try {
            profiles = profiles(driver, context, actions);
        } catch (UnusableSparkConf e) {
            return new Result(applied, written, Optional.of(e));
        }
        for (Action action : actions) {
            try {
                Optional<Pod> patched = withRetries(action, () -> applyOne(key, driver, context, profiles, reusable, action));
                if (patched.isPresent()) {
                    written = patched;
                }
                applied.add(action);
            } catch (RuntimeException e) {
                LOG.debugf("app=%s action=%s failed: %s", key, action, e.getMessage());
                // The next cycle plans against the driver we just read, without waiting for its watch event.
                Optional<Pod> read = e instanceof ConflictException conflict ? conflict.current() : Optional.empty();
                return new Result(applied, read.isPresent() ? read : written, Optional.of(e));
            }
        }
        return new Result(applied, written, Optional.empty());
    }

    private Optional<Pod> withRetries(Action action, java.util.function.Supplier<Optional<Pod>> call) {
        for (int attempt = 1; ; attempt++) {
            if (!leader.getAsBoolean()) {
                throw new NotLeaderException();
            }
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (!Backoff.retries(e) || attempt >= attempts) {
                    throw e;
                }
                sleep(backoff.delay(attempt).toMillis());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted");
        }
    }

    private Optional<Pod> applyOne(AppKey key, Pod driver, Optional<AppContext> context, Map<Integer, ExecutorProfile> profiles,
                                   ReusableClaims reusable, Action action) {
        String ns = key.namespace();
        if (action instanceof Action.PersistAllocation persist) {
            return Optional.of(persist(ns, driver, persist));
        }
        if (action instanceof Action.CreateExecutor create) {
            create(ns, driver, context.orElseThrow(() -> new IllegalStateException("no executor context for " + key)),
                    profiles.get(create.resourceProfileId()), reusable, create);
        } else if (action instanceof Action.DeleteExecutor delete) {
            delete(key, context, delete);
        } else if (action instanceof Action.MarkInactive inactive) {
            ignoreNotFound(() -> client.pods().inNamespace(ns).withName(inactive.podName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + KsparkMetadata.SPARK_EXEC_INACTIVE + "\":\"true\"}}}"));
        } else if (action instanceof Action.RecordEvent event) {
            recordEvent(ns, driver, event);
        }
        return Optional.empty();
    }

    /** Writes the allocation annotations only if the driver has not changed since it was read. */
    private Pod persist(String ns, Pod driver, Action.PersistAllocation persist) {
        Pod current = client.pods().inNamespace(ns).withName(driver.getMetadata().getName()).get();
        if (current == null) {
            throw new ConflictException("driver pod " + driver.getMetadata().getName() + " is gone", null);
        }
        if (!Objects.equals(current.getMetadata().getResourceVersion(), persist.driverResourceVersion())) {
            throw new ConflictException("driver pod " + driver.getMetadata().getName() + " changed (resourceVersion "
                    + current.getMetadata().getResourceVersion() + ", planned against " + persist.driverResourceVersion() + ")", current);
        }
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.put("resourceVersion", persist.driverResourceVersion());
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put(KsparkMetadata.LAST_EXECUTOR_ID, Long.toString(persist.lastExecutorId()));
        annotations.put(KsparkMetadata.EXECUTOR_FAILURES, Integer.toString(persist.failures()));
        putOrRemove(annotations, KsparkMetadata.EXECUTOR_FAILURE_TIMES, Allocation.formatTimes(persist.failureTimes()));
        putOrRemove(annotations, KsparkMetadata.COUNTED_FAILURES, Allocation.formatIds(persist.countedFailures()));
        persist.stopped().ifPresent(s -> annotations.put(KsparkMetadata.ALLOCATION_STOPPED, s));
        try {
            return client.pods().inNamespace(ns).withName(driver.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ConflictException("driver pod " + driver.getMetadata().getName() + " changed while writing: " + e.getMessage(), null);
            }
            throw e;
        }
    }

    /** An empty value removes the annotation: a merge patch's null deletes the key. */
    private static void putOrRemove(ObjectNode annotations, String key, String value) {
        if (value.isEmpty()) {
            annotations.putNull(key);
        } else {
            annotations.put(key, value);
        }
    }

    private void create(String ns, Pod driver, AppContext context, ExecutorProfile profile, ReusableClaims reusable,
                        Action.CreateExecutor create) {
        ExecutorSpec spec;
        try {
            spec = ExecutorSpecBuilder.build(new ExecutorConf(context.executors(), Long.toString(create.id()), profile));
        } catch (UserInputException e) {
            throw new UnusableSparkConf("executor pod: " + e.getMessage(), e); // no id in it: one report, however many tries
        }
        boolean driverOwnsClaims = context.executors().conf().get(KubernetesKeys.DRIVER_OWN_PVC);
        PodBuilder builder = new PodBuilder(spec.pod()).editMetadata().withNamespace(ns).addToLabels(KsparkMetadata.RECONCILER_LABEL, mode).endMetadata();
        List<HasMetadata> claims = new ArrayList<>(spec.resources());
        if (driverOwnsClaims && context.executors().conf().get(KubernetesKeys.DRIVER_REUSE_PVC)) {
            claims.removeIf(claim -> claim instanceof PersistentVolumeClaim wanted && reuse(builder, wanted, reusable));
        }
        Pod pod = builder.build();
        Pod created;
        try {
            created = client.pods().inNamespace(ns).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            created = client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).get();
            if (created != null && created.getMetadata().getDeletionTimestamp() != null) {
                // The pod of an earlier try (rolled back because its claim failed), still terminating: not this create.
                throw new ConflictException("executor pod " + pod.getMetadata().getName() + " is still being deleted", null);
            }
        }
        try {
            for (HasMetadata claim : claims) {
                claim.getMetadata().setNamespace(ns);
                claim.getMetadata().setOwnerReferences(List.of(ownerOf(driverOwnsClaims || created == null ? driver : created)));
                try {
                    client.resource(claim).inNamespace(ns).create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            // As Spark does: an executor without its claims must not linger.
            ignoreNotFound(() -> client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).delete());
            throw e;
        }
    }

    /**
     * The executor resources of every resource profile the cycle creates executors of, as the driver publishes them,
     * read once before any action (the id high-water mark is written first): a profile whose executors cannot be built
     * stops the cycle without spending ids on it, as an unusable conf does before its first executor. A profile the
     * driver publishes nothing for (a hand-written target, or an older plugin) gets what Spark gives a profile that asks
     * for nothing: the default cores and memory, no custom resources.
     */
    private static Map<Integer, ExecutorProfile> profiles(Pod driver, Optional<AppContext> context, List<Action> actions) {
        Map<Integer, ExecutorProfile> profiles = new HashMap<>();
        for (Action action : actions) {
            if (action instanceof Action.CreateExecutor create && context.isPresent()) {
                profiles.computeIfAbsent(create.resourceProfileId(), id -> profile(driver, context.get(), id));
            }
        }
        return profiles;
    }

    private static ExecutorProfile profile(Pod driver, AppContext context, int id) {
        if (id == ExecutorProfile.DEFAULT_ID) {
            return ExecutorProfile.DEFAULT; // the context's probe executor has shown it can be built
        }
        try {
            ExecutorProfile profile = ExecutorProfiles.of(driver, id).orElseGet(() -> {
                LOG.warnf("Driver pod %s/%s publishes no executor resources for resource profile %d (annotation %s): its executors"
                        + " get the default profile's cores and memory and no custom resources", driver.getMetadata().getNamespace(),
                        driver.getMetadata().getName(), id, KsparkMetadata.RESOURCE_PROFILES);
                return ExecutorProfile.withoutRequests(id);
            });
            ExecutorResources.of(context.executors().conf(), profile);
            return profile;
        } catch (IllegalArgumentException | UserInputException e) {
            throw new UnusableSparkConf("executor pod: " + e.getMessage(), e);
        }
    }

    /** Points the pod's volume for {@code wanted} at a free claim like it, if there is one (then {@code wanted} is not created). */
    private static boolean reuse(PodBuilder pod, PersistentVolumeClaim wanted, ReusableClaims reusable) {
        String name = wanted.getMetadata().getName();
        List<Volume> volumes = pod.buildSpec().getVolumes();
        if (volumes.stream().noneMatch(v -> mountsClaim(v, name))) {
            return false;
        }
        Optional<String> free = reusable.take(wanted);
        free.ifPresent(claimName -> {
            LOG.infof("Executor pod %s reuses PersistentVolumeClaim %s", pod.buildMetadata().getName(), claimName);
            pod.editSpec().withVolumes(volumes.stream().map(v -> !mountsClaim(v, name) ? v : new VolumeBuilder(v)
                    .editPersistentVolumeClaim().withClaimName(claimName).endPersistentVolumeClaim().build()).toList()).endSpec();
        });
        return free.isPresent();
    }

    private static boolean mountsClaim(Volume volume, String claimName) {
        return volume.getPersistentVolumeClaim() != null && claimName.equals(volume.getPersistentVolumeClaim().getClaimName());
    }

    private static OwnerReference ownerOf(Pod owner) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod").withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid()).withController(true).build();
    }

    /** Deletes by name (a create that was never seen has a known name), so no deletecollection permission is needed. */
    private void delete(AppKey key, Optional<AppContext> context, Action.DeleteExecutor delete) {
        List<String> names = new ArrayList<>();
        if (delete.podName() != null) {
            names.add(delete.podName());
        } else if (context.isPresent()) {
            names.add(context.get().executors().podName(delete.id()));
        } else {
            client.pods().inNamespace(key.namespace()).withLabel("spark-app-selector", key.appId()).withLabel("spark-role", "executor")
                    .withLabel("spark-exec-id", Long.toString(delete.id())).list().getItems().forEach(p -> names.add(p.getMetadata().getName()));
        }
        for (String name : names) {
            if (delete.onlyIfPending()) {
                deleteIfPending(key.namespace(), name, delete.id());
            } else {
                ignoreNotFound(() -> client.pods().inNamespace(key.namespace()).withName(name).delete());
            }
        }
    }

    /**
     * Deletes the pod only while it is pending: read, then delete on the condition that it is still the version read
     * (the API server answers 409 otherwise). One that started in between stays; the next cycle plans with it running.
     */
    private void deleteIfPending(String ns, String name, long id) {
        Pod current = client.pods().inNamespace(ns).withName(name).get();
        if (current == null) {
            return;
        }
        String phase = current.getStatus() == null ? null : current.getStatus().getPhase();
        if (phase != null && !"Pending".equals(phase)) {
            throw new ConflictException("executor " + id + " is " + phase + " by now; kept (only pending executors go for a lower target)", null);
        }
        try {
            client.pods().inNamespace(ns).withName(name).lockResourceVersion(current.getMetadata().getResourceVersion()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ConflictException("executor " + id + " changed while being deleted for a lower target; looking again", null);
            }
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void recordEvent(String ns, Pod driver, Action.RecordEvent event) {
        String now = Instant.now(clock).toString();
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        client.v1().events().inNamespace(ns).resource(new EventBuilder()
                .withNewMetadata().withName(driver.getMetadata().getName() + "." + suffix).withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(driver.getMetadata().getName())
                    .withNamespace(ns).withUid(driver.getMetadata().getUid()).endInvolvedObject()
                .withType(event.type()).withReason(event.reason()).withMessage(event.message())
                .withNewSource().withComponent("kspark").endSource()
                .withReportingComponent("kspark")
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build()).create();
    }

    private static void ignoreNotFound(Runnable call) {
        try {
            call.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
