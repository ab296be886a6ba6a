package io.kspark.reconciler.runtime;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running reconciler of a long-running command (controller or sidecar), for the REST API and
 * health checks, and the signal that ends the command (Ctrl-C/SIGTERM, or the sidecar's app ending).
 */
@ApplicationScoped
public class ReconcilerRuntime {

    private volatile Reconciler reconciler;
    private volatile CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger();

    public void attach(Reconciler running) {
        this.reconciler = running;
        this.stop = new CountDownLatch(1);
    }

    public void detach() {
        this.reconciler = null;
    }

    public Optional<Reconciler> reconciler() {
        return Optional.ofNullable(reconciler);
    }

    public void requestStop(int code) {
        exitCode.set(code);
        stop.countDown();
    }

    /** Blocks until a stop is requested or the JVM shuts down; returns the exit code. */
    public int awaitStop() throws InterruptedException {
        CountDownLatch latch = stop;
        Thread hook = new Thread(latch::countDown, "kspark-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!latch.await(1, TimeUnit.SECONDS)) {
                // wake up periodically so an interrupt is noticed promptly
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        return exitCode.get();
    }
}
