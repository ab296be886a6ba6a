package io.kspark.conf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Hides secret values when conf is shown to a person (logs, dry-run output, verbose mode) as Spark's
 * {@code Utils.redact} does: a value is hidden when its key or the value itself matches {@code spark.redaction.regex}.
 * The values still reach the driver unchanged.
 */
public final class Redaction {

    public static final String REDACTED = "*********(redacted)";
    public static final String REGEX_KEY = "spark.redaction.regex";
    private static final String DEFAULT_REGEX = "(?i)secret|password|token|access[.]?key";
    /**
     * S3A's encryption keys (an SSE-C key is a secret) hidden whatever the regex says, as Hadoop's own
     * sensitive-config list hides them; Spark's default regex would miss them.
     */
    private static final Pattern S3A_ENCRYPTION_KEY = Pattern.compile("(?i)^spark\\.hadoop\\.fs\\.s3a\\.(bucket\\..+\\.)?(server-side-)?encryption\\.key$");
    public static final Redaction DEFAULT = new Redaction(Pattern.compile(DEFAULT_REGEX));

    private final Pattern pattern;

    private Redaction(Pattern pattern) {
        this.pattern = pattern;
    }

    /** The application's rule: its {@code spark.redaction.regex}, else Spark's default. */
    public static Redaction of(SparkConf conf) {
        String regex = conf.get(REGEX_KEY, DEFAULT_REGEX);
        try {
            return new Redaction(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw UserInputException.forKey(REGEX_KEY, "'" + regex + "' is not a regular expression (" + e.getDescription() + ")");
        }
    }

    public boolean hides(String key, String value) {
        return pattern.matcher(key).find() || value != null && pattern.matcher(value).find() || S3A_ENCRYPTION_KEY.matcher(key).matches();
    }

    public String redact(String key, String value) {
        return hides(key, value) ? REDACTED : value;
    }

    public Map<String, String> redactAll(Map<String, String> values) {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> result.put(k, redact(k, v)));
        return result;
    }
}
