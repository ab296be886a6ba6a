package io.kspark.conf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for Spark's value syntaxes (sizes like {@code 512m}, durations like {@code 30s}, booleans,
 * comma lists). They accept exactly what Spark accepts so a user's conf behaves the same.
 */
public final class SparkValues {

    private static final Pattern BYTES = Pattern.compile("([0-9]+)([a-z]+)?");
    private static final Pattern FRACTIONAL_BYTES = Pattern.compile("([0-9]+\\.[0-9]+)([a-z]+)?");
    private static final Pattern TIME = Pattern.compile("(-?[0-9]+)([a-z]+)?");

    private static final Map<String, Long> BYTE_SUFFIXES = Map.ofEntries(
            Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("kb", 1L << 10),
            Map.entry("m", 1L << 20), Map.entry("mb", 1L << 20),
            Map.entry("g", 1L << 30), Map.entry("gb", 1L << 30),
            Map.entry("t", 1L << 40), Map.entry("tb", 1L << 40),
            Map.entry("p", 1L << 50), Map.entry("pb", 1L << 50));

    private static final Map<String, TimeUnit> TIME_SUFFIXES = Map.of(
            "us", TimeUnit.MICROSECONDS,
            "ms", TimeUnit.MILLISECONDS,
            "s", TimeUnit.SECONDS,
            "m", TimeUnit.MINUTES,
            "min", TimeUnit.MINUTES,
            "h", TimeUnit.HOURS,
            "d", TimeUnit.DAYS);

    private SparkValues() {
    }

    /**
     * Parses a size string into {@code unitBytes}-sized units; a bare number is already in that unit.
     *
     * @throws IllegalArgumentException with a user-facing reason
     */
    public static long bytesAs(String value, long unitBytes) {
        String lower = value.toLowerCase(Locale.ROOT).trim();
        Matcher m = BYTES.matcher(lower);
        if (m.matches()) {
            long number;
            try {
                number = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("size '" + value + "' is too large");
            }
            String suffix = m.group(2);
            if (suffix == null) {
                return number;
            }
            Long multiplier = BYTE_SUFFIXES.get(suffix);
            if (multiplier == null) {
                throw new IllegalArgumentException("invalid size suffix '" + suffix + "' in '" + value
                        + "' (use b, k, m, g, t or p, e.g. 512m)");
            }
            try {
                return multiplier >= unitBytes
                        ? Math.multiplyExact(number, multiplier / unitBytes)
                        : number / (unitBytes / multiplier);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("size '" + value + "' is too large");
            }
        }
        if (FRACTIONAL_BYTES.matcher(lower).matches()) {
            throw new IllegalArgumentException("fractional sizes are not supported: '" + value + "' (e.g. use 1536m instead of 1.5g)");
        }
        throw new IllegalArgumentException("invalid size '" + value + "' (use a number with b, k, m, g, t or p, e.g. 512m)");
    }

    public static long mebibytes(String value) {
        return bytesAs(value, 1L << 20);
    }

    /** Parses a duration; a bare number is in {@code defaultUnit}. */
    public static long timeAs(String value, TimeUnit unit) {
        String lower = value.toLowerCase(Locale.ROOT).trim();
        Matcher m = TIME.matcher(lower);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + value + "' (use a number with us, ms, s, m, h or d, e.g. 30s)");
        }
        long number = Long.parseLong(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        TimeUnit from = TIME_SUFFIXES.get(suffix);
        if (from == null) {
            throw new IllegalArgumentException("invalid duration suffix '" + suffix + "' in '" + value + "' (use us, ms, s, m, h or d)");
        }
        return unit.convert(number, from);
    }

    /** Spark (Scala's {@code toBoolean}) accepts true/false in any case, nothing else. */
    public static boolean bool(String value) {
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true")) {
            return true;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false, but was '" + value + "'");
    }

    public static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer, but was '" + value + "'");
        }
    }

    public static long longValue(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer, but was '" + value + "'");
        }
    }

    public static double decimal(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number, but was '" + value + "'");
        }
    }

    /** Spark's {@code stringToSeq}: split on commas, trim, drop empty entries. */
    public static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
