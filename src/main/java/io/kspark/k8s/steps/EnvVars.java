package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Env var construction as Spark does it: a list (duplicates kept, order kept) where entries with a
 * null value are left out.
 */
final class EnvVars {

    /** One name/value pair; the value may be null. */
    record Entry(String name, String value) {
    }

    private final List<Entry> entries = new ArrayList<>();

    EnvVars add(String name, String value) {
        entries.add(new Entry(name, value));
        return this;
    }

    EnvVars addAll(Map<String, String> values) {
        values.forEach(this::add);
        return this;
    }

    List<EnvVar> build() {
        List<EnvVar> result = new ArrayList<>();
        for (Entry e : entries) {
            if (e.value() != null) {
                result.add(new EnvVarBuilder().withName(e.name()).withValue(e.value()).build());
            }
        }
        return result;
    }

    static EnvVar fieldRef(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewFieldRef("v1", fieldPath).endValueFrom()
                .build();
    }
}
