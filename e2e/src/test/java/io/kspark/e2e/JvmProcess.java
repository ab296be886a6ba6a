package io.kspark.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A JVM the test starts (the Spark driver, kspark): stdout is kept line by line (and echoed to the build output with the
 * process's name), stderr goes to a log file; commands go to stdin.
 */
final class JvmProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final PrintWriter stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static JvmProcess start(String name, List<String> command, Path workDir) {
        return start(name, command, workDir, java.util.Map.of());
    }

    static JvmProcess start(String name, List<String> command, Path workDir, java.util.Map<String, String> extraEnv) {
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectError(log.toFile());
            builder.environment().putAll(extraEnv);
            Process process = ChildProcesses.track(builder.start());
            return new JvmProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readStdout() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    void send(String command) {
        stdin.println(command);
    }

    /** The first stdout line matching, waiting at most {@code atMost}. */
    String awaitLine(Predicate<String> matching, Duration atMost) {
        await().atMost(atMost).until(() -> lines.stream().anyMatch(matching) || !process.isAlive() && lines.stream().noneMatch(matching));
        return lines.stream().filter(matching).findFirst()
                .orElseThrow(() -> new AssertionError(name + " exited (" + process.exitValue() + ") without the expected line; see " + log));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    Optional<Integer> awaitExit(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGKILL, as when a notebook kernel is killed: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, then SIGKILL if it does not end in time. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (awaitExit(Duration.ofSeconds(30)).isEmpty()) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(10));
            }
        }
    }
}
