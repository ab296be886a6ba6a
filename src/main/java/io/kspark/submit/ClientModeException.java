package io.kspark.submit;

import io.kspark.conf.UserInputException;

/** spark-submit's client mode runs the driver on the submitting machine, which kspark does not do. */
public final class ClientModeException extends UserInputException {

    public ClientModeException() {
        super("--deploy-mode: client mode runs the driver in this process, which kspark (no JVM, no Spark) cannot do;"
                + " use --deploy-mode cluster, or, for a driver that already runs in a pod (a notebook), run"
                + " 'kspark expose --pod <pod>' and start Spark there with the --conf lines it prints");
    }
}
