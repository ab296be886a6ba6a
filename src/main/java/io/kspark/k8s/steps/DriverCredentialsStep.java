package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives the driver its API credentials: a service account, or a Secret holding the token and key
 * files named by {@code spark.kubernetes.authenticate.driver.*}. Token values are replaced by a
 * marker in spark.properties, as in Spark.
 */
public final class DriverCredentialsStep implements FeatureStep {

    static final String BASE_DIR = "/mnt/secrets/spark-kubernetes-credentials";
    static final String VOLUME = "kubernetes-credentials";
    static final String REDACTED_TOKEN = "<present_but_redacted>";

    private final DriverConf conf;
    private final Optional<String> serviceAccount;
    private final Optional<String> oauthTokenBase64;
    private final Optional<String> caCertBase64;
    private final Optional<String> clientKeyBase64;
    private final Optional<String> clientCertBase64;
    private final String secretName;

    public DriverCredentialsStep(DriverConf conf) {
        this.conf = conf;
        SparkConf sc = conf.conf();
        String prefix = KubernetesKeys.AUTH_DRIVER_PREFIX + ".";
        this.serviceAccount = sc.getOptional(KubernetesKeys.DRIVER_SERVICE_ACCOUNT);
        this.oauthTokenBase64 = sc.getOption(prefix + KubernetesKeys.OAUTH_TOKEN)
                .map(t -> Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8)));
        this.caCertBase64 = fileAsBase64(prefix + KubernetesKeys.CA_CERT_FILE);
        this.clientKeyBase64 = fileAsBase64(prefix + KubernetesKeys.CLIENT_KEY_FILE);
        this.clientCertBase64 = fileAsBase64(prefix + KubernetesKeys.CLIENT_CERT_FILE);
        this.secretName = conf.resourceNamePrefix() + "-kubernetes-credentials";
    }

    private Optional<String> fileAsBase64(String key) {
        return conf.conf().getOption(key).map(path -> {
            try {
                return Base64.getEncoder().encodeToString(conf.env().readFile(path));
            } catch (UserInputException e) {
                throw UserInputException.forKey(key, "file " + path + " does not exist or is not readable");
            }
        });
    }

    private boolean mountsSecret() {
        return oauthTokenBase64.isPresent() || caCertBase64.isPresent() || clientKeyBase64.isPresent() || clientCertBase64.isPresent();
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.DriverKubernetesCredentialsFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        StepResult result;
        if (!mountsSecret()) {
            result = StepResult.of(serviceAccount.map(sa -> pod.withPod(ServiceAccounts.withServiceAccount(pod.pod(), sa))).orElse(pod));
        } else {
            SparkPod mounted = new SparkPod(
                    new PodBuilder(pod.pod()).editOrNewSpec()
                            .addNewVolume().withName(VOLUME).withNewSecret().withSecretName(secretName).endSecret().endVolume()
                            .endSpec().build(),
                    new ContainerBuilder(pod.container())
                            .addNewVolumeMount().withName(VOLUME).withMountPath(BASE_DIR).endVolumeMount()
                            .build());
            result = StepResult.of(mounted).withResources(List.of(credentialsSecret()));
        }
        return result.withProperties(properties());
    }

    private Map<String, String> properties() {
        Map<String, String> props = new LinkedHashMap<>();
        conf.conf().asMap().keySet().stream()
                .filter(k -> k.endsWith(KubernetesKeys.OAUTH_TOKEN))
                .forEach(k -> props.put(k, REDACTED_TOKEN));
        String mounted = KubernetesKeys.AUTH_DRIVER_MOUNTED_PREFIX + ".";
        mountedLocation(mounted + KubernetesKeys.CA_CERT_FILE, caCertBase64, BASE_DIR + "/ca-cert").ifPresent(v -> props.put(mounted + KubernetesKeys.CA_CERT_FILE, v));
        mountedLocation(mounted + KubernetesKeys.CLIENT_KEY_FILE, clientKeyBase64, BASE_DIR + "/client-key").ifPresent(v -> props.put(mounted + KubernetesKeys.CLIENT_KEY_FILE, v));
        mountedLocation(mounted + KubernetesKeys.CLIENT_CERT_FILE, clientCertBase64, BASE_DIR + "/client-cert").ifPresent(v -> props.put(mounted + KubernetesKeys.CLIENT_CERT_FILE, v));
        mountedLocation(mounted + KubernetesKeys.OAUTH_TOKEN_FILE, oauthTokenBase64, BASE_DIR + "/oauth-token").ifPresent(v -> props.put(mounted + KubernetesKeys.OAUTH_TOKEN_FILE, v));
        return props;
    }

    /** A path the user already mounted wins; otherwise the file lands where this step mounts the Secret. */
    private Optional<String> mountedLocation(String mountedKey, Optional<String> fromSubmitter, String canonicalPath) {
        return conf.conf().getOption(mountedKey).or(() -> fromSubmitter.map(v -> canonicalPath));
    }

    private Secret credentialsSecret() {
        Map<String, String> data = new LinkedHashMap<>();
        clientKeyBase64.ifPresent(v -> data.put("client-key", v));
        clientCertBase64.ifPresent(v -> data.put("client-cert", v));
        caCertBase64.ifPresent(v -> data.put("ca-cert", v));
        oauthTokenBase64.ifPresent(v -> data.put("oauth-token", v));
        return new SecretBuilder()
                .withNewMetadata().withName(secretName).endMetadata()
                .withImmutable(true)
                .withData(data)
                .build();
    }
}
