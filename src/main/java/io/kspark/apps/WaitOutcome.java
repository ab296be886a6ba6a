package io.kspark.apps;

/** How waiting for an application ended. */
public sealed interface WaitOutcome {

    record Finished(DriverState state) implements WaitOutcome {
        public boolean succeeded() {
            return state.phase().equals("Succeeded");
        }
    }

    /** The driver pod disappeared (deleted or killed) before finishing. */
    record DriverDeleted(String podName) implements WaitOutcome {
    }

    /** The user stopped waiting (Ctrl-C); the application keeps running. */
    record StoppedWaiting() implements WaitOutcome {
    }
}
