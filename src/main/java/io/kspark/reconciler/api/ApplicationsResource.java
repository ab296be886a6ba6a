package io.kspark.reconciler.api;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kspark.reconciler.model.AppKey;
import io.kspark.reconciler.model.AppSnapshot;
import io.kspark.reconciler.model.ExecutorPod;
import io.kspark.reconciler.model.ExecutorState;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.Allocation;
import io.kspark.reconciler.plan.Expectations;
import io.kspark.reconciler.plan.Planner;
import io.kspark.reconciler.runtime.Reconciler;
import io.kspark.reconciler.runtime.ReconcilerRuntime;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The controller's and sidecar's REST API. Reads come from the reconciler's state (no API call);
 * setting the target writes the driver's annotation, which the reconciler then acts on. Methods
 * block on API calls and so run on worker threads.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationsResource {

    @Inject
    ReconcilerRuntime runtime;

    private Reconciler reconciler() {
        Reconciler reconciler = runtime.reconciler().orElseThrow(() -> ApiException.unavailable("no reconciler is running"));
        if (!reconciler.synced()) {
            throw ApiException.unavailable("the reconciler has not finished its first full list yet");
        }
        return reconciler;
    }

    @GET
    @Path("/applications")
    public List<ApiModel.Application> applications() {
        Reconciler reconciler = reconciler();
        return reconciler.state().apps().values().stream()
                .filter(app -> reconciler.scope().covers(app.key()))
                .sorted((a, b) -> a.key().compareTo(b.key()))
                .map(app -> summary(app, problem(reconciler, app)))
                .toList();
    }

    @GET
    @Path("/namespaces/{namespace}/applications/{appId}")
    public ApiModel.ApplicationDetail application(@PathParam("namespace") String namespace, @PathParam("appId") String appId) {
        Reconciler reconciler = reconciler();
        AppSnapshot app = find(reconciler, namespace, appId);
        List<Event> events = app.executors().values().stream().anyMatch(e -> e.state() == ExecutorState.PENDING)
                ? pendingEvents(reconciler, namespace) : List.of();
        Instant now = Instant.now();
        List<ApiModel.Executor> executors = app.executors().values().stream().map(e -> new ApiModel.Executor(
                        e.id(), e.podName(), e.resourceProfileId(), e.state().name().toLowerCase(Locale.ROOT),
                        e.createdAt().map(at -> Duration.between(at, now).getSeconds()).orElse(null),
                        e.exitCode().orElse(null), e.reason().orElse(null),
                        e.state() == ExecutorState.PENDING ? PendingReasons.of(e.pod(), events).orElse(null) : null))
                .toList();
        return new ApiModel.ApplicationDetail(summary(app, problem(reconciler, app)), executors);
    }

    /** Any content type: the body is read as JSON whatever a client (curl -d) declares. */
    @PUT
    @Path("/namespaces/{namespace}/applications/{appId}/executors")
    @Consumes(MediaType.WILDCARD)
    public Response setTarget(@PathParam("namespace") String namespace, @PathParam("appId") String appId, String body) {
        int target = TargetBody.parse(body);
        Reconciler reconciler = reconciler();
        Pod driver = liveDriver(find(reconciler, namespace, appId));
        // The body's target is the default profile's: other profiles' targets stay. Rewriting a per-profile value is
        // read-modify-write, so it only goes through against the driver as read (409 if it changed meanwhile).
        Allocation allocation = Allocation.of(driver);
        Map<Integer, Integer> targets = new TreeMap<>(allocation.targetError().isPresent() ? Map.of() : allocation.targets());
        boolean otherProfiles = targets.keySet().stream().anyMatch(rp -> rp != 0);
        targets.put(0, target);
        String patch = "{\"metadata\":{" + (otherProfiles ? "\"resourceVersion\":\"" + driver.getMetadata().getResourceVersion() + "\"," : "")
                + "\"annotations\":{\"" + KsparkMetadata.EXECUTOR_TARGET + "\":\"" + Allocation.formatTargets(targets) + "\"}}}";
        try {
            reconciler.client().pods().inNamespace(namespace).withName(driver.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw ApiException.conflict("the executor targets of " + appId + " changed meanwhile; read them again and retry");
            }
            throw apiFailure("cannot update the executor target", e);
        }
        return Response.accepted(new ApiModel.TargetAccepted(namespace, appId, target)).build();
    }

    @DELETE
    @Path("/namespaces/{namespace}/applications/{appId}/executors/{id}")
    public Response deleteExecutor(@PathParam("namespace") String namespace, @PathParam("appId") String appId, @PathParam("id") String id) {
        long executorId;
        try {
            executorId = id.chars().allMatch(Character::isDigit) ? Long.parseLong(id) : -1;
        } catch (NumberFormatException e) {
            executorId = -1;
        }
        if (executorId < 1) {
            throw ApiException.badRequest("executor id must be a positive number, got '" + id + "'");
        }
        Reconciler reconciler = reconciler();
        AppSnapshot app = find(reconciler, namespace, appId);
        ExecutorPod executor = app.executors().get(executorId);
        if (executor == null) {
            throw ApiException.notFound("application " + appId + " has no executor " + executorId);
        }
        // A pod being deleted still reports its phase (Running, say) until it is gone.
        if (executor.state() == ExecutorState.DELETED || executor.pod().getMetadata().getDeletionTimestamp() != null) {
            throw ApiException.conflict("executor " + executorId + " is already being deleted");
        }
        try {
            reconciler.client().pods().inNamespace(namespace).withName(executor.podName()).delete();
        } catch (KubernetesClientException e) {
            throw apiFailure("cannot delete executor " + executorId, e);
        }
        return Response.accepted(new ApiModel.ExecutorDeleted(namespace, appId, executorId, executor.podName())).build();
    }

    /** An application this reconciler reconciles (a sidecar serves its own app only, a controller its namespaces). */
    private static AppSnapshot find(Reconciler reconciler, String namespace, String appId) {
        AppKey key = new AppKey(namespace, appId);
        return reconciler.state().app(key).filter(app -> reconciler.scope().covers(key))
                .orElseThrow(() -> ApiException.notFound("no application " + appId + " in namespace " + namespace));
    }

    private static Pod liveDriver(AppSnapshot app) {
        Pod driver = app.driver().orElseThrow(() -> ApiException.conflict("the driver of " + app.key().appId() + " is gone"));
        if (Planner.isFinished(driver)) {
            throw ApiException.conflict("application " + app.key().appId() + " has finished");
        }
        return driver;
    }

    private static List<Event> pendingEvents(Reconciler reconciler, String namespace) {
        try {
            return reconciler.client().v1().events().inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    private static ApiException apiFailure(String what, KubernetesClientException e) {
        int status = e.getCode() == 404 ? 404 : e.getCode() == 409 ? 409 : 502;
        return new ApiException(status, what + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
    }

    private static Optional<String> problem(Reconciler reconciler, AppSnapshot app) {
        return reconciler.expectations(app.key()).flatMap(Expectations::reportedProblem);
    }

    static ApiModel.Application summary(AppSnapshot app, Optional<String> problem) {
        Map<String, Long> byState = new TreeMap<>(app.executors().values().stream()
                .collect(Collectors.groupingBy(e -> e.state().name().toLowerCase(Locale.ROOT), Collectors.counting())));
        Pod driver = app.driver().orElse(null);
        Allocation allocation = driver == null ? null : Allocation.of(driver);
        Map<String, Integer> target = allocation == null ? Map.of() : allocation.targets().entrySet().stream()
                .collect(Collectors.toMap(e -> Integer.toString(e.getKey()), Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        return new ApiModel.Application(app.key().namespace(), app.key().appId(),
                driver == null ? null : driver.getMetadata().getLabels().get("spark-app-name"),
                driver == null ? null : driver.getMetadata().getName(),
                driver == null ? "Deleted" : driver.getStatus() == null || driver.getStatus().getPhase() == null ? "Pending" : driver.getStatus().getPhase(),
                target,
                allocation == null ? 0 : allocation.lastExecutorId(),
                allocation == null ? 0 : allocation.failures(),
                allocation == null ? null : allocation.stopped().orElse(null),
                byState,
                allocation == null ? null : allocation.heartbeat().map(Instant::toString).orElse(null),
                problem.orElse(null));
    }
}
