package io.kspark.reconciler.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** kspark's own settings for the long-running modes (application.properties, env, -D). */
@ConfigMapping(prefix = "kspark")
public interface KsparkConfig {

    Reconciler reconciler();

    LeaderElection leaderElection();

    interface Reconciler {
        /** How often every executor and driver pod in scope is listed again (Spark's apiPollingInterval default). */
        @WithDefault("30s")
        Duration pollInterval();

        /** First delay of the one backoff policy used for writes, reconnects and failed cycles. */
        @WithDefault("100ms")
        Duration backoffInitial();

        @WithDefault("30s")
        Duration backoffMax();

        /** Attempts per API write within one cycle (409 on create and 404 on delete count as done). */
        @WithDefault("3")
        int writeAttempts();

        /** Threads for blocking API calls (never run on event-loop threads). */
        @WithDefault("8")
        int ioThreads();
    }

    interface LeaderElection {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("kspark-controller")
        String leaseName();

        /** Namespace of the Lease; defaults to the pod's namespace (POD_NAMESPACE) or "default". */
        Optional<String> leaseNamespace();

        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration renewDeadline();

        @WithDefault("2s")
        Duration retryPeriod();

        /**
         * How long a new leader waits before it writes: at least the longest the previous leader's last request can
         * take (the API client's request timeout, 10 s unless KUBERNETES_REQUEST_TIMEOUT says otherwise).
         */
        @WithDefault("10s")
        Duration handOverDelay();
    }
}
