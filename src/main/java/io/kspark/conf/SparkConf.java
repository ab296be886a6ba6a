package io.kspark.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An immutable Spark configuration: the user's {@code key=value} pairs in the order they were given.
 * Changes return a new instance, so a conf can be shared between stages without copying.
 */
public final class SparkConf {

    private static final SparkConf EMPTY = new SparkConf(Map.of());

    private final Map<String, String> values;
    /** Keys in the order Spark's {@code SparkConf.getAll} returns them; computed once. */
    private volatile List<String> sparkOrder;

    private SparkConf(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static SparkConf empty() {
        return EMPTY;
    }

    public static SparkConf of(Map<String, String> values) {
        values.forEach((k, v) -> Objects.requireNonNull(v, () -> "null value for " + k));
        return new SparkConf(values);
    }

    public Optional<String> getOption(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * A key Spark declares {@code withPrepended(prependedKey)} (e.g. spark.executor.extraJavaOptions after
     * spark.executor.defaultJavaOptions): both values joined by a space, or whichever is set.
     */
    public Optional<String> getWithPrepended(String prependedKey, String key) {
        List<String> values = Stream.of(getOption(prependedKey), getOption(key)).flatMap(Optional::stream).toList();
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", values));
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public boolean contains(ConfEntry<?> entry) {
        return values.containsKey(entry.key());
    }

    /** The entry's value (or default); throws when the key is unset and has no default. */
    public <T> T get(ConfEntry<T> entry) {
        return entry.read(this).orElseThrow(() -> UserInputException.forKey(entry.key(), "is required"));
    }

    public <T> Optional<T> getOptional(ConfEntry<T> entry) {
        return entry.read(this);
    }

    /**
     * Keys starting with {@code prefix}, with the prefix removed, in the order Spark's
     * {@code getAllWithPrefix(prefix).toMap} iterates them, so lists built from them (env vars,
     * volumes, secrets) come out in Spark's order.
     */
    public Map<String, String> withPrefix(String prefix) {
        List<String> stripped = new ArrayList<>();
        for (String key : sparkOrder()) {
            if (key.startsWith(prefix)) {
                stripped.add(key.substring(prefix.length()));
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        SparkIterationOrder.scalaOrder(stripped).forEach(k -> result.put(k, values.get(prefix + k)));
        return result;
    }

    /** All entries in {@code SparkConf.getAll} order (e.g. for {@code SPARK_JAVA_OPT_<n>} numbering). */
    public List<Map.Entry<String, String>> entriesInSparkOrder() {
        return sparkOrder().stream().map(k -> Map.entry(k, values.get(k))).toList();
    }

    private List<String> sparkOrder() {
        List<String> order = sparkOrder;
        if (order == null) {
            order = SparkIterationOrder.getAllOrder(values);
            sparkOrder = order;
        }
        return order;
    }

    public SparkConf set(String key, String value) {
        Objects.requireNonNull(value, () -> "null value for " + key);
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new SparkConf(copy);
    }

    public SparkConf setAll(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.putAll(more);
        return new SparkConf(copy);
    }

    public SparkConf setIfMissing(String key, String value) {
        return contains(key) ? this : set(key, value);
    }

    public SparkConf remove(String key) {
        if (!contains(key)) {
            return this;
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return new SparkConf(copy);
    }

    /** All entries in conf order (read-only). */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparkConf other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "SparkConf" + Redaction.DEFAULT.redactAll(values);
    }
}
