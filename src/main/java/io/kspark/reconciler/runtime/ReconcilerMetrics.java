package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.kspark.reconciler.model.ClusterState;
import io.kspark.reconciler.model.ExecutorState;
import io.kspark.reconciler.model.PodKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The reconciler's Prometheus metrics: executors by state, reconcile latency, API requests by verb and
 * code, and watch restarts.
 */
public final class ReconcilerMetrics {

    /** Per registry, as the registry keeps the first gauge of a name: what its gauges read (the reconciler observed last). */
    private static final Map<MeterRegistry, AtomicReference<Supplier<ClusterState>>> OBSERVED = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final Timer reconcile;
    private final AtomicReference<Supplier<ClusterState>> observed;

    public ReconcilerMetrics(MeterRegistry registry) {
        this.registry = registry;
        synchronized (OBSERVED) {
            this.observed = OBSERVED.computeIfAbsent(registry, r -> {
                AtomicReference<Supplier<ClusterState>> holder = new AtomicReference<>(ClusterState::empty);
                registerGauges(r, holder);
                return holder;
            });
        }
        this.reconcile = Timer.builder("kspark.reconcile").description("Duration of one plan-and-write cycle for one application")
                .publishPercentileHistogram().register(registry);
    }

    public static ReconcilerMetrics noop() {
        return new ReconcilerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** From now on the gauges read {@code state}: a sidecar runs one reconciler per application on the same registry. */
    public void observe(Supplier<ClusterState> state) {
        observed.set(state);
    }

    /** Once per registry; Micrometer holds a gauge's object weakly unless told otherwise (it would read NaN after a GC). */
    private static void registerGauges(MeterRegistry registry, AtomicReference<Supplier<ClusterState>> observed) {
        for (ExecutorState executorState : ExecutorState.values()) {
            Gauge.builder("kspark.executors", observed, s -> s.get().get().apps().values().stream()
                            .flatMap(app -> app.executors().values().stream())
                            .filter(e -> e.state() == executorState).count())
                    .description("Executor pods by state").tag("state", executorState.name().toLowerCase(Locale.ROOT))
                    .strongReference(true).register(registry);
        }
        Gauge.builder("kspark.applications", observed, s -> s.get().get().apps().size())
                .description("Applications in scope").strongReference(true).register(registry);
        // Shown from the start (at 0), not only after the first restart.
        for (PodKind kind : PodKind.values()) {
            watchRestarts(registry, kind);
        }
    }

    public void reconciled(Duration duration) {
        reconcile.record(duration);
    }

    public void watchRestart(PodKind kind) {
        watchRestarts(registry, kind).increment();
    }

    private static Counter watchRestarts(MeterRegistry registry, PodKind kind) {
        return Counter.builder("kspark.watch.restarts").description("Watches re-established (closed, expired or failed)")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    public void apiRequest(String verb, int code) {
        Counter.builder("kspark.api.requests").description("Kubernetes API requests by verb and HTTP status (0 = no response)")
                .tags(List.of(io.micrometer.core.instrument.Tag.of("verb", verb), io.micrometer.core.instrument.Tag.of("code", Integer.toString(code))))
                .register(registry).increment();
    }

    /** Counts every request a client makes; watches count once when they are opened. */
    public Interceptor apiInterceptor() {
        return new Interceptor() {
            @Override
            public void after(HttpRequest request, HttpResponse<?> response, io.fabric8.kubernetes.client.http.AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                apiRequest(verb(request), response.code());
            }

            @Override
            public void afterConnectionFailure(HttpRequest request, Throwable failure) {
                apiRequest(verb(request), 0);
            }
        };
    }

    static String verb(HttpRequest request) {
        String method = request.method();
        String query = request.uri().getQuery() == null ? "" : request.uri().getQuery();
        if (method.equals("GET")) {
            return query.contains("watch=true") ? "watch" : "get";
        }
        return method.toLowerCase(Locale.ROOT);
    }
}
