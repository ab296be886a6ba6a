package io.kspark.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.KubernetesJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds API clients the way Spark's submission client does: kubeconfig (or the in-cluster service
 * account) as the base, the {@code k8s://} master URL on top, then the credentials and timeouts of
 * {@code spark.kubernetes.authenticate.submission.*} and {@code spark.kubernetes.submission.*}.
 */
public final class KubernetesClients {

    private KubernetesClients() {
    }

    /**
     * @param apiServer API server URL, or empty to use the kubeconfig's current cluster
     * @param namespace default namespace for namespaced calls, or empty for the kubeconfig's
     */
    public static KubernetesClient forSubmission(Optional<String> apiServer, Optional<String> namespace, SparkConf conf) {
        return forSubmission(submissionConfig(apiServer, namespace, conf));
    }

    /** A client for {@code config}, as {@link #submissionConfig} makes it. */
    public static KubernetesClient forSubmission(Config config) {
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withKubernetesSerialization(KubernetesJson.SERIALIZATION).withConfig(config).build();
    }

    public static Config submissionConfig(Optional<String> apiServer, Optional<String> namespace, SparkConf conf) {
        String prefix = KubernetesKeys.AUTH_SUBMISSION_PREFIX + ".";
        Optional<String> tokenFile = conf.getOption(prefix + KubernetesKeys.OAUTH_TOKEN_FILE);
        Optional<String> token = conf.getOption(prefix + KubernetesKeys.OAUTH_TOKEN);
        if (tokenFile.isPresent() && token.isPresent()) {
            throw UserInputException.forKey(prefix + KubernetesKeys.OAUTH_TOKEN,
                    "cannot be set together with " + prefix + KubernetesKeys.OAUTH_TOKEN_FILE);
        }
        Optional<String> context = conf.getOptional(KubernetesKeys.CONTEXT).filter(c -> !c.isEmpty());
        Config base = Config.autoConfigure(context.orElse(null));
        ConfigBuilder builder = new ConfigBuilder(base)
                .withRequestTimeout(conf.get(KubernetesKeys.SUBMISSION_REQUEST_TIMEOUT))
                .withConnectionTimeout(conf.get(KubernetesKeys.SUBMISSION_CONNECTION_TIMEOUT))
                .withRequestRetryBackoffLimit(3);
        apiServer.ifPresent(builder::withMasterUrl);
        if (conf.get(KubernetesKeys.TRUST_CERTIFICATES)) {
            builder.withTrustCerts(true);
        }
        token.ifPresent(builder::withOauthToken);
        tokenFile.ifPresent(file -> builder.withOauthToken(readToken(prefix + KubernetesKeys.OAUTH_TOKEN_FILE, file)));
        conf.getOption(prefix + KubernetesKeys.CA_CERT_FILE).ifPresent(file -> builder.withCaCertFile(existing(prefix + KubernetesKeys.CA_CERT_FILE, file)));
        conf.getOption(prefix + KubernetesKeys.CLIENT_KEY_FILE).ifPresent(file -> builder.withClientKeyFile(existing(prefix + KubernetesKeys.CLIENT_KEY_FILE, file)));
        conf.getOption(prefix + KubernetesKeys.CLIENT_CERT_FILE).ifPresent(file -> builder.withClientCertFile(existing(prefix + KubernetesKeys.CLIENT_CERT_FILE, file)));
        namespace.ifPresent(builder::withNamespace);
        return builder.build();
    }

    /**
     * A client for the long-running reconciler: kubeconfig or in-cluster service account, optional
     * API server override, and no client-side retries. The reconciler's writer retries with its own
     * backoff; a retry hidden inside the client could land after a reconciler gave up (or stopped).
     * Nor does the client re-open a dropped watch itself: the reconciler's pod source does (with a fresh
     * list, and counted in its watch-restart metric).
     */
    public static KubernetesClient forReconciler(Optional<String> apiServer, Interceptor metrics) {
        ConfigBuilder builder = reconcilerSettings(new ConfigBuilder(Config.autoConfigure(null)));
        apiServer.ifPresent(builder::withMasterUrl);
        return new KubernetesClientBuilder().withConfig(builder.build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("kspark-metrics", metrics))
                .build();
    }

    /** What the reconciler changes in a client's config (also applied by tests to their mock server's client). */
    public static ConfigBuilder reconcilerSettings(ConfigBuilder builder) {
        return builder.withRequestRetryBackoffLimit(0).withWatchReconnectLimit(0);
    }

    private static String readToken(String key, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw UserInputException.forKey(key, "cannot read token file " + file);
        }
    }

    private static String existing(String key, String file) {
        if (!Files.isRegularFile(Path.of(file))) {
            throw UserInputException.forKey(key, "file " + file + " does not exist");
        }
        return file;
    }
}
