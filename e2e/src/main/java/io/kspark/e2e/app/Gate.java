package io.kspark.e2e.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Runs inside executor tasks: holds a task until the test opens the gate (creates the file), at most five minutes. */
final class Gate {

    private static final Duration LIMIT = Duration.ofMinutes(5);

    private Gate() {
    }

    static int await(String file, int item) throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (!Files.exists(Path.of(file)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20); // the workload's own pacing, not a test wait: the test awaits the driver's output
        }
        return item;
    }
}
