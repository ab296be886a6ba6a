package io.kspark.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a failed e2e run prints: the pods in the mock and the end of every log (kspark, drivers, executors). */
final class Diagnostics {

    private static final int TAIL = 40;

    private Diagnostics() {
    }

    static void print(Path work, KubernetesClient client, String namespace) {
        try {
            for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                System.out.println("[diagnostics] pod " + pod.getMetadata().getName() + " labels=" + pod.getMetadata().getLabels()
                        + " annotations=" + pod.getMetadata().getAnnotations() + " phase="
                        + (pod.getStatus() == null ? null : pod.getStatus().getPhase()));
            }
        } catch (RuntimeException e) {
            System.out.println("[diagnostics] cannot list pods: " + e);
        }
        try (Stream<Path> logs = Files.walk(work)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("[diagnostics] ---- " + work.relativize(log) + " (last " + TAIL + " of " + lines.size() + " lines)");
                lines.subList(Math.max(0, lines.size() - TAIL), lines.size()).forEach(l -> System.out.println("[diagnostics] " + l));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
