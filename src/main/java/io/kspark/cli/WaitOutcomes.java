package io.kspark.cli;

import io.kspark.apps.DriverState;
import io.kspark.apps.WaitOutcome;

import java.io.PrintWriter;
import java.util.Optional;

/** Final message and exit code for a waited-on application. */
final class WaitOutcomes {

    private WaitOutcomes() {
    }

    static int report(WaitOutcome outcome, String appName, String appId, String submissionId, PrintWriter out, PrintWriter err) {
        if (outcome instanceof WaitOutcome.Finished finished && finished.succeeded()) {
            out.println("Application " + appName + " (" + appId + ") succeeded.");
            out.flush();
            return ExitCodes.OK;
        }
        if (outcome instanceof WaitOutcome.Finished finished) {
            DriverState state = finished.state();
            String container = state.sparkContainerTermination().map(WaitOutcomes::describe).orElse(null);
            String pod = state.podReason().map(r -> "driver pod " + r).orElse(null);
            String detail = container == null && pod == null ? "the driver pod failed"
                    : container == null ? pod : pod == null ? container : container + "; " + pod;
            err.println("Application " + appName + " (" + appId + ") failed: " + detail);
            err.flush();
            return ExitCodes.APP_FAILED;
        }
        if (outcome instanceof WaitOutcome.DriverDeleted deleted) {
            err.println("Application " + appName + " (" + appId + ") ended: driver pod " + deleted.podName() + " was deleted.");
            err.flush();
            return ExitCodes.APP_FAILED;
        }
        err.println("Stopped waiting; application " + appName + " keeps running. Follow it with: kspark status " + submissionId);
        err.flush();
        return ExitCodes.INTERRUPTED;
    }

    private static String describe(DriverState.ContainerSummary termination) {
        StringBuilder text = new StringBuilder("driver container exited with code ").append(termination.exitCode());
        if (termination.reason() != null) {
            text.append(" (").append(termination.reason()).append(')');
        }
        Optional.ofNullable(DriverState.firstLine(termination.message())).ifPresent(message -> text.append(": ").append(message));
        return text.toString();
    }
}
