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
import java.util.function.Supplier;

/**
 * The reconciler's Prometheus metrics: executors by state, reconcile latency, API requests by verb and
 * code, and watch restarts.
 */
public final class ReconcilerMetrics {

    private final MeterRegistry registry;
    private final Timer reconcile;

    public ReconcilerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reconcile = Timer.builder("kspark.reconcile").description("Duration of one plan-and-write cycle for one application")
                .publishPercentileHistogram().register(registry);
    }

    public static ReconcilerMetrics noop() {
        return new ReconcilerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Gauges read the latest state when scraped. Micrometer holds a gauge's object weakly by default, and the
     * supplier is only referenced here, so the gauges hold it strongly: otherwise they read NaN after a GC.
     */
    public void observe(Supplier<ClusterState> state) {
        for (ExecutorState executorState : ExecutorState.values()) {
            Gauge.builder("kspark.executors", state, s -> s.get().apps().values().stream()
                            .flatMap(app -> app.executors().values().stream())
                            .filter(e -> e.state() == executorState).count())
                    .description("Executor pods by state").tag("state", executorState.name().toLowerCase(Locale.ROOT))
                    .strongReference(true).register(registry);
        }
        Gauge.builder("kspark.applications", state, s -> s.get().apps().size())
                .description("Applications in scope").strongReference(true).register(registry);
        // Shown from the start (at 0), not only after the first restart.
        for (PodKind kind : PodKind.values()) {
            watchRestarts(kind);
        }
    }

    public void reconciled(Duration duration) {
        reconcile.record(duration);
    }

    public void watchRestart(PodKind kind) {
        watchRestarts(kind).increment();
    }

    private Counter watchRestarts(PodKind kind) {
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
