package io.kspark.conf;

import java.util.Set;

/** kspark's own Spark conf keys ({@code spark.kspark.*}). */
public final class KsparkKeys {

    /** Who creates executors: Spark's own allocator ({@code driver}), the kspark controller, or a sidecar. */
    public static final ConfEntry<String> RECONCILER = ConfEntry.string("spark.kspark.reconciler", "driver")
            .checked(Set.of("driver", "controller", "sidecar")::contains, "must be one of driver, controller, sidecar");
    /** The kspark image for the sidecar container. */
    public static final ConfEntry<String> IMAGE = ConfEntry.string("spark.kspark.image", null);
    /** HTTP port of the sidecar inside the driver pod (must not clash with Spark's ports). */
    public static final ConfEntry<Integer> SIDECAR_PORT = ConfEntry.integer("spark.kspark.sidecar.port", 8090)
            .checked(TcpPorts::isValid, "must be a TCP port (1-" + TcpPorts.MAX + ")");

    /** The kspark allocator plugin jar (a URL the driver can fetch) when the Spark image does not contain it. */
    public static final ConfEntry<String> PLUGIN_JAR = ConfEntry.string("spark.kspark.pluginJar", null);

    /**
     * How often a client-mode driver with the kspark plugin renews its heartbeat on the driver pod; the reconciler
     * gives the driver up (and removes its executors) after {@value #HEARTBEAT_INTERVALS_LOST} intervals without one
     * (2 minutes by default, Spark's spark.network.timeout).
     */
    public static final ConfEntry<Long> DRIVER_HEARTBEAT_INTERVAL = ConfEntry.time("spark.kspark.driver.heartbeatInterval",
            java.util.concurrent.TimeUnit.MILLISECONDS, "30s").checked(ms -> ms > 0, "must be a positive duration");
    public static final int HEARTBEAT_INTERVALS_LOST = 4;

    /** The Spark-side allocator that hands executor allocation to kspark (in the kspark plugin jar). */
    public static final String PLUGIN_ALLOCATOR_CLASS = "io.kspark.spark.KsparkPodsAllocator";

    private KsparkKeys() {
    }
}
