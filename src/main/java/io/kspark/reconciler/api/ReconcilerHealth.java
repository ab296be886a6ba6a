package io.kspark.reconciler.api;

import io.kspark.reconciler.runtime.ReconcilerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the reconciler has listed every source once and while its lists keep succeeding (a controller cut off
 * from the API server turns unready instead of serving an old picture as current); live while the process serves
 * requests, so losing the API server never restarts it.
 */
public final class ReconcilerHealth {

    private ReconcilerHealth() {
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        ReconcilerRuntime runtime;

        @Override
        public HealthCheckResponse call() {
            boolean fresh = runtime.reconciler().map(r -> r.fresh()).orElse(false);
            return HealthCheckResponse.named("kspark-reconciler-synced").status(fresh)
                    .withData("applications", runtime.reconciler().map(r -> (long) r.state().apps().size()).orElse(0L))
                    .withData("synced", runtime.reconciler().map(r -> r.synced()).orElse(false))
                    .withData("staleSources", runtime.reconciler().map(r -> r.staleSources()).orElse(0L))
                    .build();
        }
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("kspark");
        }
    }
}
