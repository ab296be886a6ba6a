package io.kspark.e2e;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every process the test starts ends with the test JVM at the latest, also when the build is interrupted. */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "e2e-children"));
    }

    private ChildProcesses() {
    }

    static Process track(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }
}
