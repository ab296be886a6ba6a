package io.kspark.conf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secret values when conf is shown to a person (logs, dry-run output, verbose mode), using
 * Spark's default {@code spark.redaction.regex}. The values still reach the driver unchanged.
 */
public final class Redaction {

    public static final String REDACTED = "*********(redacted)";
    private static final Pattern SECRET_KEYS = Pattern.compile("(?i)secret|password|token|access[.]?key");

    private Redaction() {
    }

    public static boolean isSecretKey(String key) {
        return SECRET_KEYS.matcher(key).find();
    }

    public static String redact(String key, String value) {
        return isSecretKey(key) ? REDACTED : value;
    }

    public static Map<String, String> redactAll(Map<String, String> values) {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> result.put(k, redact(k, v)));
        return result;
    }
}
