package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.k8s.HadoopSiteFiles;
import io.kspark.k8s.LocalEnvironment;

import java.util.Map;
import java.util.Optional;

/**
 * Hadoop's S3A options for one bucket, as spark-submit's Hadoop configuration holds them: a per-bucket
 * {@code fs.s3a.bucket.<bucket>.<option>} wins over {@code fs.s3a.<option>}, and each is looked up in
 * {@code spark.hadoop.*}, then in what Spark copies from the AWS environment variables (when both key variables are
 * set; global options only), then in {@code $HADOOP_CONF_DIR/core-site.xml}. Values are trimmed and blank means unset
 * (Hadoop's {@code getTrimmed}).
 */
public final class S3Options {

    private static final String HADOOP = "spark.hadoop.";
    /** SparkHadoopUtil's copies: option, environment variable. */
    private static final Map<String, String> FROM_ENVIRONMENT = Map.of("access.key", "AWS_ACCESS_KEY_ID",
            "secret.key", "AWS_SECRET_ACCESS_KEY", "session.token", "AWS_SESSION_TOKEN", "endpoint", "AWS_ENDPOINT_URL");

    private final SparkConf conf;
    private final LocalEnvironment env;
    private final Map<String, String> coreSite;
    private final String bucket;

    /** The options with the submitter's core-site.xml, if {@code HADOOP_CONF_DIR} has one. */
    public static S3Options of(SparkConf conf, LocalEnvironment env, String bucket) {
        return new S3Options(conf, env, HadoopSiteFiles.coreSite(env), bucket);
    }

    public S3Options(SparkConf conf, LocalEnvironment env, Map<String, String> coreSite, String bucket) {
        this.conf = conf;
        this.env = env;
        this.coreSite = Map.copyOf(coreSite);
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** The value of {@code fs.s3a.<option>} for this bucket. */
    public Optional<String> get(String option) {
        return value(HADOOP + bucketKey(option)).or(() -> site(bucketKey(option)))
                .or(() -> value(HADOOP + globalKey(option))).or(() -> fromEnvironment(option)).or(() -> site(globalKey(option)));
    }

    /** The Spark conf key (or environment variable) to name in a message about an option's value. */
    public String keyOf(String option) {
        if (value(HADOOP + bucketKey(option)).isPresent()) {
            return HADOOP + bucketKey(option);
        }
        if (site(bucketKey(option)).isPresent()) {
            return inCoreSite(bucketKey(option));
        }
        if (value(HADOOP + globalKey(option)).isPresent()) {
            return HADOOP + globalKey(option);
        }
        if (fromEnvironment(option).isPresent()) {
            return FROM_ENVIRONMENT.get(option);
        }
        return site(globalKey(option)).isPresent() ? inCoreSite(globalKey(option)) : HADOOP + globalKey(option);
    }

    private static String inCoreSite(String key) {
        return key + " (in HADOOP_CONF_DIR/core-site.xml)";
    }

    private Optional<String> site(String key) {
        return set(Optional.ofNullable(coreSite.get(key)));
    }

    public boolean flag(String option, boolean defaultValue) {
        // Hadoop's getBoolean: anything but true/false (any case) leaves the default
        return get(option).filter(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))
                .map(Boolean::parseBoolean).orElse(defaultValue);
    }

    private Optional<String> fromEnvironment(String option) {
        boolean bothKeys = env.getenvSet("AWS_ACCESS_KEY_ID").isPresent() && env.getenvSet("AWS_SECRET_ACCESS_KEY").isPresent();
        return bothKeys && FROM_ENVIRONMENT.containsKey(option) ? env.getenvSet(FROM_ENVIRONMENT.get(option)) : Optional.empty();
    }

    private String bucketKey(String option) {
        return "fs.s3a.bucket." + bucket + "." + option;
    }

    private static String globalKey(String option) {
        return "fs.s3a." + option;
    }

    private Optional<String> value(String key) {
        return set(conf.getOption(key));
    }

    /** Hadoop's getTrimmed: blanks mean unset. */
    private static Optional<String> set(Optional<String> raw) {
        return raw.map(String::trim).filter(v -> !v.isEmpty());
    }
}
