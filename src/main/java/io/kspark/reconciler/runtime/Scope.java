package io.kspark.reconciler.runtime;

import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.model.PodKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which applications a reconciler owns: those whose pods carry {@code kspark.io/reconciler=<mode>},
 * in some namespaces (empty = all), optionally one application of one driver pod only (the sidecar).
 *
 * @param driverPod the sidecar's driver pod: drivers are selected by its name, not by app id, so that a client-mode
 *                  driver pod relabelled for its next application is seen to leave this one
 */
public record Scope(String mode, List<String> namespaces, Optional<String> appId, Optional<String> driverPod) {

    public Scope {
        namespaces = List.copyOf(namespaces);
    }

    public static Scope controller(List<String> namespaces) {
        return new Scope("controller", namespaces, Optional.empty(), Optional.empty());
    }

    public static Scope sidecar(String namespace, String driverPod, String appId) {
        return new Scope("sidecar", List.of(namespace), Optional.of(appId), Optional.of(driverPod));
    }

    public Map<String, String> labels(PodKind kind) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("spark-role", kind == PodKind.DRIVER ? "driver" : "executor");
        labels.put(KsparkMetadata.RECONCILER_LABEL, mode);
        if (kind == PodKind.EXECUTOR || driverPod.isEmpty()) {
            appId.ifPresent(id -> labels.put("spark-app-selector", id));
        }
        return labels;
    }

    /** Field selectors of the watch and list of {@code kind} (the sidecar's driver pod by name). */
    public Map<String, String> fields(PodKind kind) {
        return kind == PodKind.DRIVER && driverPod.isPresent() ? Map.of("metadata.name", driverPod.get()) : Map.of();
    }

    /** Whether this reconciler acts on {@code key} (a sidecar may see its driver pod labelled for another app). */
    public boolean covers(io.kspark.reconciler.model.AppKey key) {
        return appId.map(key.appId()::equals).orElse(true);
    }

    /** One entry per watch: each namespace, or a single all-namespaces entry. */
    public List<Optional<String>> watchScopes() {
        return namespaces.isEmpty() ? List.of(Optional.empty()) : namespaces.stream().map(Optional::of).toList();
    }
}
