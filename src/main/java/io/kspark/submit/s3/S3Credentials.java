package io.kspark.submit.s3;

import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;

import java.util.List;
import java.util.Optional;

/**
 * The keys an upload signs with, found as S3A's credential providers find them. Its {@code toString} shows no secret.
 *
 * @param anonymous S3A's anonymous provider: requests go unsigned
 */
public record S3Credentials(String accessKey, String secretKey, Optional<String> sessionToken, boolean anonymous) {

    static final String PROVIDER_OPTION = "aws.credentials.provider";
    private static final String TEMPORARY = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider";
    private static final String SIMPLE = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
    private static final String ANONYMOUS = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider";
    private static final List<String> ENVIRONMENT = List.of("software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
            "com.amazonaws.auth.EnvironmentVariableCredentialsProvider");
    /** S3A's default chain (Hadoop 3.4); its last member, instance credentials, is one kspark cannot use. */
    private static final List<String> DEFAULT_CHAIN = List.of(TEMPORARY, SIMPLE, ENVIRONMENT.get(0),
            "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider");

    public static S3Credentials signed(String accessKey, String secretKey, Optional<String> sessionToken) {
        return new S3Credentials(accessKey, secretKey, sessionToken, false);
    }

    static S3Credentials none() {
        return new S3Credentials("", "", Optional.empty(), true);
    }

    /** Walks the configured provider list (S3A's default when unset) and takes the first that has keys. */
    public static S3Credentials resolve(S3Options options, LocalEnvironment env) {
        // the option values already include what Spark copies from AWS_ACCESS_KEY_ID and friends
        List<String> providers = options.get(PROVIDER_OPTION)
                .map(list -> List.of(list.split("\\s*,\\s*")))
                .orElse(DEFAULT_CHAIN);
        for (String provider : providers) {
            Optional<S3Credentials> found = switch (provider) {
                case TEMPORARY -> fromOptions(options, true);
                case SIMPLE -> fromOptions(options, false);
                case ANONYMOUS -> Optional.of(none());
                default -> ENVIRONMENT.contains(provider) ? fromEnvironment(env) : Optional.empty();
            };
            if (found.isPresent()) {
                return found.get();
            }
            if (!isSupported(provider) && options.get(PROVIDER_OPTION).isPresent()) {
                throw UserInputException.forKey(options.keyOf(PROVIDER_OPTION), "kspark uploads with access keys only and cannot use "
                        + provider + "; set fs.s3a.access.key and fs.s3a.secret.key (spark.hadoop.*) or AWS_ACCESS_KEY_ID and"
                        + " AWS_SECRET_ACCESS_KEY, or upload the files yourself and pass their s3a:// URIs");
            }
        }
        throw UserInputException.forKey("spark.hadoop.fs.s3a.access.key", "no S3 credentials to upload to bucket " + options.bucket()
                + ": set it and spark.hadoop.fs.s3a.secret.key (per bucket: spark.hadoop.fs.s3a.bucket." + options.bucket()
                + ".access.key), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; kspark does not read instance or web-identity credentials");
    }

    private static boolean isSupported(String provider) {
        return provider.equals(TEMPORARY) || provider.equals(SIMPLE) || provider.equals(ANONYMOUS) || ENVIRONMENT.contains(provider);
    }

    /** Temporary credentials need the session token too; simple ones ignore it (S3A's two providers). */
    private static Optional<S3Credentials> fromOptions(S3Options options, boolean temporary) {
        Optional<String> access = options.get("access.key");
        Optional<String> secret = options.get("secret.key");
        Optional<String> token = options.get("session.token");
        if (access.isEmpty() || secret.isEmpty() || (temporary && token.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(signed(access.get(), secret.get(), temporary ? token : Optional.empty()));
    }

    private static Optional<S3Credentials> fromEnvironment(LocalEnvironment env) {
        Optional<String> access = env.getenv("AWS_ACCESS_KEY_ID").filter(v -> !v.isBlank());
        Optional<String> secret = env.getenv("AWS_SECRET_ACCESS_KEY").filter(v -> !v.isBlank());
        if (access.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(signed(access.get(), secret.get(), env.getenv("AWS_SESSION_TOKEN").filter(v -> !v.isBlank())));
    }

    @Override
    public String toString() {
        return anonymous ? "S3Credentials[anonymous]" : "S3Credentials[accessKey=" + accessKey + ", secretKey=*********(redacted)"
                + sessionToken.map(t -> ", sessionToken=*********(redacted)").orElse("") + "]";
    }
}
