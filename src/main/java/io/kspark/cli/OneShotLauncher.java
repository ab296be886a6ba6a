package io.kspark.cli;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs a one-shot command (submit, status, kill, list, logs, expose, --version) without booting the
 * Quarkus runtime: no CDI container, no HTTP stack, no metrics, nothing in the background. That
 * start-up is what a one-shot command would otherwise spend most of its time on; the long-running
 * commands (controller, sidecar) still start Quarkus.
 */
final class OneShotLauncher {

    /** How long a Ctrl-C waits for the command to report that it stopped waiting. */
    private static final long INTERRUPT_GRACE_SECONDS = 5;
    /** How long to wait for a woken HTTP client selector thread to end. */
    private static final long SELECTOR_EXIT_MILLIS = 100;

    private OneShotLauncher() {
    }

    static int run(String... args) {
        quietLogging();
        Thread command = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            // Ctrl-C/SIGTERM: let a waiting submit say it stopped waiting (the application keeps running).
            command.interrupt();
            try {
                finished.await(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kspark-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return KsparkCli.forArguments(new OneShotFactory(), args).execute(args);
        } finally {
            finished.countDown();
            releaseSelectorThreads();
        }
    }

    /**
     * The JVM's exit waits up to 300 ms for threads blocked in native code, and the JDK HTTP client's
     * selector thread (still alive after the client is closed, until it notices) sits in epoll. An
     * interrupt wakes its selector and ends it, so a one-shot command exits when it is done.
     */
    private static void releaseSelectorThreads() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                thread.interrupt();
                try {
                    thread.join(SELECTOR_EXIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** What application.properties gives the Quarkus runtime: warnings and errors only, on stderr, one line each. */
    static void quietLogging() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.WARNING);
        console.setFormatter(new OneLineFormatter());
        root.addHandler(console);
        root.setLevel(Level.WARNING);
    }

    /** {@code HH:mm:ss LEVEL [logger] message}, like the runtime's console format. */
    static final class OneLineFormatter extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

        @Override
        public String format(LogRecord record) {
            String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
            String message = formatMessage(record);
            String thrown = record.getThrown() == null ? "" : ": " + record.getThrown();
            return TIME.format(LocalTime.now()) + " " + record.getLevel().getName() + " [" + logger + "] " + message + thrown + System.lineSeparator();
        }
    }
}
