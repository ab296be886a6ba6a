package io.kspark.submit.s3;

import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Walks S3A's credential providers, as named in its options, to the source of an upload's keys. */
public final class CredentialChain {

    static final String PROVIDER_OPTION = "aws.credentials.provider";
    private static final String TEMPORARY = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider";
    private static final String SIMPLE = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
    private static final String ANONYMOUS = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider";
    private static final String INSTANCE = "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider";
    private static final List<String> ENVIRONMENT = List.of("software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
            "com.amazonaws.auth.EnvironmentVariableCredentialsProvider");
    private static final List<String> WEB_IDENTITY = List.of("software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider",
            "com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
    private static final List<String> INSTANCE_PROFILE = List.of("software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider",
            "com.amazonaws.auth.InstanceProfileCredentialsProvider");
    private static final List<String> CONTAINER = List.of("software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider",
            "com.amazonaws.auth.ContainerCredentialsProvider", "com.amazonaws.auth.EC2ContainerCredentialsProviderWrapper");
    /** The AWS SDK's default chain, which S3A users name to get IRSA; kspark walks its environment, web-identity, container and instance steps. */
    private static final List<String> SDK_DEFAULT = List.of("software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider",
            "com.amazonaws.auth.DefaultAWSCredentialsProviderChain");
    /** S3A's default chain (Hadoop 3.4); its instance step is container credentials where they are set, else the EC2 instance profile. */
    private static final List<String> DEFAULT_CHAIN = List.of(TEMPORARY, SIMPLE, ENVIRONMENT.get(0), INSTANCE);
    /** Where the container credentials of a relative URI are served (the AWS SDK's fixed address). */
    static final String CONTAINER_HOST = "http://169.254.170.2";
    /** The instance metadata service's address, unless AWS_EC2_METADATA_SERVICE_ENDPOINT names another (as in the SDK). */
    static final String INSTANCE_METADATA_HOST = "http://169.254.169.254";

    private CredentialChain() {
    }

    /**
     * Walks the configured provider list (S3A's default when unset) and takes the first that applies. The option values
     * already include what Spark copies from {@code AWS_ACCESS_KEY_ID} and friends.
     */
    public static CredentialSource resolve(S3Options options, LocalEnvironment env, Clock clock) {
        List<String> providers = options.get(PROVIDER_OPTION)
                .map(list -> List.of(list.split("\\s*,\\s*")))
                .orElse(DEFAULT_CHAIN);
        for (String provider : providers) {
            Optional<CredentialSource> found = source(provider, options, env, clock);
            if (found.isPresent()) {
                return found.get();
            }
            if (!isSupported(provider) && options.get(PROVIDER_OPTION).isPresent()) {
                throw unsupported(options, provider);
            }
        }
        throw noCredentials(options.bucket(), "the EC2 instance metadata step was skipped (AWS_EC2_METADATA_DISABLED) or not on the list");
    }

    /** The message for an app with no credentials at all, also when the instance metadata service, asked last, does not answer. */
    static UserInputException noCredentials(String bucket, String why) {
        return UserInputException.forKey("spark.hadoop.fs.s3a.access.key", "no S3 credentials to upload to bucket " + bucket
                + ": set it and spark.hadoop.fs.s3a.secret.key (per bucket: spark.hadoop.fs.s3a.bucket." + bucket
                + ".access.key), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a web identity needs a web-identity provider in "
                + "spark.hadoop.fs.s3a.aws.credentials.provider); " + why);
    }

    /**
     * Refuses a provider list that names one kspark cannot run, whatever the environment holds: what a dry run can say
     * without credentials. (A walk may still succeed before reaching such a name; S3A would then not reach it either, but
     * kspark cannot know which names the environment of a later real submission makes reachable.)
     */
    public static void checkProviderNames(S3Options options) {
        options.get(PROVIDER_OPTION).ifPresent(list -> {
            for (String provider : list.split("\\s*,\\s*")) {
                if (!isSupported(provider)) {
                    throw unsupported(options, provider);
                }
            }
        });
    }

    private static UserInputException unsupported(S3Options options, String provider) {
        return UserInputException.forKey(options.keyOf(PROVIDER_OPTION), "kspark cannot use " + provider + " to upload (it knows S3A's"
                + " simple, temporary, anonymous and instance providers and the AWS environment, web-identity, container and instance-profile ones); set"
                + " fs.s3a.access.key and fs.s3a.secret.key (spark.hadoop.*) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or upload"
                + " the files yourself and pass their s3a:// URIs");
    }

    private static Optional<CredentialSource> source(String provider, S3Options options, LocalEnvironment env, Clock clock) {
        if (provider.equals(TEMPORARY) || provider.equals(SIMPLE)) {
            return fromOptions(options, provider.equals(TEMPORARY)).map(CredentialSource.Keys::new);
        }
        if (provider.equals(ANONYMOUS)) {
            return Optional.of(new CredentialSource.Keys(S3Credentials.none()));
        }
        if (ENVIRONMENT.contains(provider)) {
            return fromEnvironment(env).map(CredentialSource.Keys::new);
        }
        if (WEB_IDENTITY.contains(provider)) {
            return webIdentity(env, clock);
        }
        if (CONTAINER.contains(provider)) {
            return container(env);
        }
        if (INSTANCE_PROFILE.contains(provider)) {
            return instanceMetadata(env);
        }
        if (provider.equals(INSTANCE)) {
            return container(env).or(() -> instanceMetadata(env));
        }
        if (SDK_DEFAULT.contains(provider)) {
            return fromEnvironment(env).<CredentialSource>map(CredentialSource.Keys::new)
                    .or(() -> webIdentity(env, clock)).or(() -> container(env)).or(() -> instanceMetadata(env));
        }
        return Optional.empty();
    }

    private static boolean isSupported(String provider) {
        return Stream.of(List.of(TEMPORARY, SIMPLE, ANONYMOUS, INSTANCE), ENVIRONMENT, WEB_IDENTITY, CONTAINER, INSTANCE_PROFILE, SDK_DEFAULT)
                .anyMatch(names -> names.contains(provider));
    }

    /** The AWS SDK's web-identity variables; the STS endpoint is regional when AWS_REGION is set, as SDK v2 makes it. */
    private static Optional<CredentialSource> webIdentity(LocalEnvironment env, Clock clock) {
        Optional<String> role = env.getenvSet("AWS_ROLE_ARN");
        Optional<String> tokenFile = env.getenvSet("AWS_WEB_IDENTITY_TOKEN_FILE");
        if (role.isEmpty() || tokenFile.isEmpty()) {
            return Optional.empty();
        }
        String session = env.getenvSet("AWS_ROLE_SESSION_NAME").orElse("kspark-" + clock.millis());
        URI sts = env.getenvSet("AWS_ENDPOINT_URL_STS").map(URI::create)
                .orElseGet(() -> env.getenvSet("AWS_REGION") // STS's region is the SDK's, not the bucket's
                        .map(region -> URI.create("https://sts." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "")))
                        .orElse(URI.create("https://sts.amazonaws.com")));
        return Optional.of(new CredentialSource.WebIdentity(role.get(), tokenFile.get(), session, sts));
    }

    private static Optional<CredentialSource> container(LocalEnvironment env) {
        Optional<URI> endpoint = env.getenvSet("AWS_CONTAINER_CREDENTIALS_FULL_URI").map(URI::create)
                .or(() -> env.getenvSet("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").map(path -> URI.create(CONTAINER_HOST + path)));
        return endpoint.map(uri -> new CredentialSource.Container(uri, env.getenvSet("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
                env.getenvSet("AWS_CONTAINER_AUTHORIZATION_TOKEN")));
    }

    private static Optional<CredentialSource> instanceMetadata(LocalEnvironment env) {
        if (env.getenvSet("AWS_EC2_METADATA_DISABLED").filter(v -> v.equalsIgnoreCase("true")).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new CredentialSource.InstanceMetadata(
                URI.create(env.getenvSet("AWS_EC2_METADATA_SERVICE_ENDPOINT").orElse(INSTANCE_METADATA_HOST).replaceAll("/+$", ""))));
    }

    /** Temporary credentials need the session token too; simple ones ignore it (S3A's two providers). */
    private static Optional<S3Credentials> fromOptions(S3Options options, boolean temporary) {
        Optional<String> access = options.get("access.key");
        Optional<String> secret = options.get("secret.key");
        Optional<String> token = options.get("session.token");
        if (access.isEmpty() || secret.isEmpty() || (temporary && token.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(S3Credentials.signed(access.get(), secret.get(), temporary ? token : Optional.empty()));
    }

    private static Optional<S3Credentials> fromEnvironment(LocalEnvironment env) {
        Optional<String> access = env.getenvSet("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.getenvSet("AWS_SECRET_ACCESS_KEY");
        if (access.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(S3Credentials.signed(access.get(), secret.get(), env.getenvSet("AWS_SESSION_TOKEN")));
    }
}
