package io.kspark.reconciler.api;

import io.kspark.reconciler.runtime.ReconcilerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the reconciler has listed every source once; live while the process serves requests. */
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
            boolean synced = runtime.reconciler().map(r -> r.synced()).orElse(false);
            return HealthCheckResponse.named("kspark-reconciler-synced").status(synced)
                    .withData("applications", runtime.reconciler().map(r -> (long) r.state().apps().size()).orElse(0L))
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
