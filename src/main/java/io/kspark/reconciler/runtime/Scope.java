package io.kspark.reconciler.runtime;

import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.model.PodKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which applications a reconciler owns: those whose pods carry {@code kspark.io/reconciler=<mode>},
 * in some namespaces (empty = all), optionally one application only (the sidecar).
 */
public record Scope(String mode, List<String> namespaces, Optional<String> appId) {

    public Scope {
        namespaces = List.copyOf(namespaces);
    }

    public static Scope controller(List<String> namespaces) {
        return new Scope("controller", namespaces, Optional.empty());
    }

    public static Scope sidecar(String namespace, String appId) {
        return new Scope("sidecar", List.of(namespace), Optional.of(appId));
    }

    public Map<String, String> labels(PodKind kind) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("spark-role", kind == PodKind.DRIVER ? "driver" : "executor");
        labels.put(KsparkMetadata.RECONCILER_LABEL, mode);
        appId.ifPresent(id -> labels.put("spark-app-selector", id));
        return labels;
    }

    /** One entry per watch: each namespace, or a single all-namespaces entry. */
    public List<Optional<String>> watchScopes() {
        return namespaces.isEmpty() ? List.of(Optional.empty()) : namespaces.stream().map(Optional::of).toList();
    }
}
