package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.k8s.LocalEnvironment;

import java.util.Map;
import java.util.Optional;

/**
 * Hadoop's S3A options for one bucket, as spark-submit's Hadoop configuration holds them: a per-bucket
 * {@code fs.s3a.bucket.<bucket>.<option>} wins over {@code fs.s3a.<option>}; both come from {@code spark.hadoop.*}, over
 * what Spark copies from the AWS environment variables when both key variables are set. Values are trimmed and blank
 * means unset (Hadoop's {@code getTrimmed}).
 */
public final class S3Options {

    private static final String HADOOP = "spark.hadoop.";
    /** SparkHadoopUtil's copies: option, environment variable. */
    private static final Map<String, String> FROM_ENVIRONMENT = Map.of("access.key", "AWS_ACCESS_KEY_ID",
            "secret.key", "AWS_SECRET_ACCESS_KEY", "session.token", "AWS_SESSION_TOKEN", "endpoint", "AWS_ENDPOINT_URL");

    private final SparkConf conf;
    private final LocalEnvironment env;
    private final String bucket;

    public S3Options(SparkConf conf, LocalEnvironment env, String bucket) {
        this.conf = conf;
        this.env = env;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** The value of {@code fs.s3a.<option>} for this bucket. */
    public Optional<String> get(String option) {
        return value(bucketKey(option)).or(() -> value(globalKey(option))).or(() -> fromEnvironment(option));
    }

    /** The Spark conf key (or environment variable) to name in a message about an option's value. */
    public String keyOf(String option) {
        if (value(bucketKey(option)).isPresent()) {
            return bucketKey(option);
        }
        boolean fromEnvironment = value(globalKey(option)).isEmpty() && fromEnvironment(option).isPresent();
        return fromEnvironment ? FROM_ENVIRONMENT.get(option) : globalKey(option);
    }

    public boolean flag(String option, boolean defaultValue) {
        // Hadoop's getBoolean: anything but true/false (any case) leaves the default
        return get(option).filter(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))
                .map(Boolean::parseBoolean).orElse(defaultValue);
    }

    private Optional<String> fromEnvironment(String option) {
        boolean bothKeys = variable("AWS_ACCESS_KEY_ID").isPresent() && variable("AWS_SECRET_ACCESS_KEY").isPresent();
        return bothKeys && FROM_ENVIRONMENT.containsKey(option) ? variable(FROM_ENVIRONMENT.get(option)) : Optional.empty();
    }

    private Optional<String> variable(String name) {
        return env.getenv(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    private String bucketKey(String option) {
        return HADOOP + "fs.s3a.bucket." + bucket + "." + option;
    }

    private static String globalKey(String option) {
        return HADOOP + "fs.s3a." + option;
    }

    private Optional<String> value(String key) {
        return conf.getOption(key).map(String::trim).filter(v -> !v.isEmpty());
    }
}
