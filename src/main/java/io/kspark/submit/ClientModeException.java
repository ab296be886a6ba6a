package io.kspark.submit;

/**
 * The user asked for spark-submit's client mode, which runs the driver on the submitting machine: kspark has no JVM
 * or Spark to do that, so the submit command explains the client-mode path kspark offers instead (and creates nothing).
 */
public final class ClientModeException extends RuntimeException {

    /** What {@code kspark submit --deploy-mode client} prints. */
    public static final String EXPLANATION = """
            kspark runs no Spark driver on this machine (client mode needs a local Spark JVM), so nothing was submitted.
            To run a client-mode driver with kspark, run it in a pod (a notebook, a job pod) with Spark 4.x or 3.5:
              1. kspark expose --pod <driver-pod> [-n <namespace>]
                 creates the headless Service its executors reach it through (owned by the pod) and prints the
                 --conf lines to start Spark with there
              2. start Spark in that pod with those --conf lines; with the kspark plugin jar on its class path the
                 kspark controller (or a kspark sidecar in the pod) creates and replaces its executors
            To run the driver in the cluster instead, submit with --deploy-mode cluster.
            """;

    public ClientModeException() {
        super("--deploy-mode client: " + EXPLANATION.lines().findFirst().orElseThrow());
    }
}
