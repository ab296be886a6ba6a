package io.kspark.conf;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A typed Spark conf key: how its text is parsed, its default (Spark's, as text) and its check.
 * Reading an entry either yields a valid value or throws a {@link UserInputException} naming the key.
 *
 * @param key          the Spark conf key
 * @param parser       text to value; throws {@link IllegalArgumentException} with a reason
 * @param defaultValue Spark's default as text, or null when the key is optional
 * @param check        validity of a parsed value
 * @param checkMessage reason shown when {@code check} fails
 */
public record ConfEntry<T>(String key, Function<String, T> parser, String defaultValue,
                           Predicate<T> check, String checkMessage) {

    public static ConfEntry<String> string(String key, String defaultValue) {
        return new ConfEntry<>(key, Function.identity(), defaultValue, v -> true, null);
    }

    public static ConfEntry<Boolean> bool(String key, boolean defaultValue) {
        return new ConfEntry<>(key, SparkValues::bool, Boolean.toString(defaultValue), v -> true, null);
    }

    public static ConfEntry<Integer> integer(String key, Integer defaultValue) {
        return new ConfEntry<>(key, SparkValues::integer, defaultValue == null ? null : defaultValue.toString(), v -> true, null);
    }

    public static ConfEntry<Long> longValue(String key, Long defaultValue) {
        return new ConfEntry<>(key, SparkValues::longValue, defaultValue == null ? null : defaultValue.toString(), v -> true, null);
    }

    public static ConfEntry<Double> decimal(String key, Double defaultValue) {
        return new ConfEntry<>(key, SparkValues::decimal, defaultValue == null ? null : defaultValue.toString(), v -> true, null);
    }

    /** A size read in MiB (Spark's {@code bytesConf(ByteUnit.MiB)}). */
    public static ConfEntry<Long> mebibytes(String key, String defaultValue) {
        return new ConfEntry<>(key, SparkValues::mebibytes, defaultValue, v -> true, null);
    }

    public static ConfEntry<Long> bytes(String key, String defaultValue) {
        return new ConfEntry<>(key, v -> SparkValues.bytesAs(v, 1), defaultValue, v -> true, null);
    }

    public static ConfEntry<Long> time(String key, TimeUnit unit, String defaultValue) {
        return new ConfEntry<>(key, v -> SparkValues.timeAs(v, unit), defaultValue, v -> true, null);
    }

    public static ConfEntry<List<String>> list(String key) {
        return new ConfEntry<>(key, SparkValues::list, "", v -> true, null);
    }

    public ConfEntry<T> checked(Predicate<T> predicate, String message) {
        return new ConfEntry<>(key, parser, defaultValue, check.and(predicate), message);
    }

    /** Parses and checks {@code text}, naming this entry's key in any error. */
    public T parse(String text) {
        T value;
        try {
            value = parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw UserInputException.forKey(key, e.getMessage());
        }
        if (!check.test(value)) {
            throw UserInputException.forKey(key, checkMessage + " (was '" + text + "')");
        }
        return value;
    }

    /** The value in {@code conf}, or the parsed default; empty only for optional keys that are unset. */
    public Optional<T> read(SparkConf conf) {
        return conf.getOption(key).or(() -> Optional.ofNullable(defaultValue)).map(this::parse);
    }
}
