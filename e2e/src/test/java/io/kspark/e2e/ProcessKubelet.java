package io.kspark.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A kubelet for executor pods on this machine: every executor pod created in the namespace becomes a local JVM process
 * started from the pod's own env and args ({@link ContainerLaunch}), and the pod's status follows the process: Pending
 * (until its ConfigMap volumes exist), Running, then Succeeded or Failed with the process's exit code. Deleting the pod
 * ends its process, as the kubelet would.
 */
final class ProcessKubelet implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final Path root;
    private final String java;
    private final List<String> sparkJars;
    /** One thread: a pod's status changes apply in order. */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "process-kubelet");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Watch watch;

    ProcessKubelet(KubernetesClient client, String namespace, Path root, String java, List<String> sparkJars) {
        this.client = client;
        this.namespace = namespace;
        this.root = root;
        this.java = java;
        this.sparkJars = List.copyOf(sparkJars);
        this.watch = client.pods().inNamespace(namespace).withLabel("spark-role", "executor").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                if (action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) {
                    worker.execute(() -> podDeleted(name));
                } else if (action == Action.ADDED && seen.add(pod.getMetadata().getUid())) {
                    worker.execute(() -> admit(name));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    /** The process of a running executor pod (to kill it, or to read its pid). */
    Optional<Process> process(String podName) {
        return Optional.ofNullable(processes.get(podName));
    }

    /** The container's output, for diagnostics. */
    Path log(String podName) {
        return root.resolve(podName).resolve("container.log");
    }

    private void admit(String name) {
        updateStatus(name, pod -> new PodBuilder(pod).editOrNewStatus().withPhase("Pending").endStatus().build());
        tryStart(name);
    }

    /** Starts the container once its volumes can be mounted; a missing ConfigMap keeps the pod Pending, as it would. */
    private void tryStart(String name) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || deleted.contains(name)) {
            return;
        }
        Path podDir = root.resolve(name);
        if (!mountVolumes(pod, podDir)) {
            worker.schedule(() -> tryStart(name), 200, TimeUnit.MILLISECONDS);
            return;
        }
        ContainerLaunch launch;
        try {
            launch = ContainerLaunch.of(pod, podDir, java, sparkJars);
        } catch (IllegalArgumentException e) {
            terminated(name, 128, "ContainerCannotRun", e.getMessage());
            return;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(podDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log(name).toFile());
            Map<String, String> env = builder.environment();
            String path = env.get("PATH");
            String home = env.get("HOME");
            env.clear();
            env.put("PATH", path);
            env.put("HOME", home);
            env.putAll(launch.env());
            Process process = ChildProcesses.track(builder.start());
            processes.put(name, process);
            running(name);
            process.onExit().thenAccept(exited -> worker.execute(() -> exited(name, exited.exitValue())));
        } catch (IOException e) {
            terminated(name, 128, "StartError", e.getMessage());
        }
    }

    private boolean mountVolumes(Pod pod, Path podDir) {
        try {
            Files.createDirectories(podDir.resolve("volumes"));
            for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
                Path dir = Files.createDirectories(podDir.resolve("volumes").resolve(volume.getName()));
                if (volume.getConfigMap() != null) {
                    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
                    if (configMap == null) {
                        return false;
                    }
                    for (var file : Optional.ofNullable(configMap.getData()).orElse(Map.of()).entrySet()) {
                        Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void running(String name) {
        String now = Instant.now().toString();
        updateStatus(name, pod -> new PodBuilder(pod).editOrNewStatus().withPhase("Running").withPodIP(ContainerLaunch.POD_IP)
                .withStartTime(now)
                .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                        .withReady(true).withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build())
                .endStatus().build());
    }

    private void exited(String name, int exitCode) {
        processes.remove(name);
        if (!deleted.contains(name)) {
            terminated(name, exitCode, exitCode == 0 ? "Completed" : "Error", null);
        }
    }

    private void terminated(String name, int exitCode, String reason, String message) {
        String now = Instant.now().toString();
        updateStatus(name, pod -> new PodBuilder(pod).editOrNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(pod.getSpec().getContainers().get(0).getName())
                        .withReady(false).withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                        .withMessage(message).withFinishedAt(now).endTerminated().endState().build())
                .endStatus().build());
    }

    /** The pod is gone: its container is stopped (SIGTERM, then SIGKILL after the grace period). */
    private void podDeleted(String name) {
        deleted.add(name);
        Process process = processes.get(name);
        if (process != null) {
            process.destroy();
            worker.schedule(process::destroyForcibly, 5, TimeUnit.SECONDS);
        }
    }

    /** Only the status, as a kubelet writes it; a pod deleted meanwhile is no error. */
    private void updateStatus(String name, UnaryOperator<Pod> change) {
        try {
            client.pods().inNamespace(namespace).withName(name).editStatus(change);
        } catch (RuntimeException e) {
            // gone
        }
    }

    /** Pods whose process still runs. */
    Set<String> runningPods() {
        return Set.copyOf(processes.keySet());
    }

    @Override
    public void close() {
        watch.close();
        worker.shutdownNow();
        processes.values().forEach(Process::destroyForcibly);
        for (Process process : processes.values()) {
            process.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> process).join();
        }
    }
}
