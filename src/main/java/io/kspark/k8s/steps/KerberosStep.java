package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.FeatureStep;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kerberos for the driver: the krb5.conf (local file shipped as a ConfigMap, or an existing one), and
 * either a keytab shipped as a Secret or an existing delegation-token Secret. Spark can also derive
 * tokens from the submitter's ticket cache through Hadoop; kspark has no Hadoop client, so that case
 * is refused with a hint instead of silently submitting an app without credentials.
 */
public final class KerberosStep implements FeatureStep {

    static final String KRB_VOLUME = "krb5-file";
    static final String KEYTAB_VOLUME = "kerberos-keytab";
    static final String KEYTAB_MOUNT = "/mnt/secrets/kerberos-keytab";
    static final String TOKEN_VOLUME = "hadoop-secret";
    static final String TOKEN_DIR = "/mnt/secrets/hadoop-credentials";

    private final DriverConf conf;
    private final Optional<String> keytab;
    private final Optional<String> existingTokenSecret;
    private final Optional<String> existingTokenKey;
    private final Optional<String> krb5File;
    private final Optional<String> krb5ConfigMap;

    public KerberosStep(DriverConf conf) {
        this.conf = conf;
        SparkConf sc = conf.conf();
        Optional<String> principal = sc.getOption(CoreKeys.PRINCIPAL);
        this.keytab = sc.getOption(CoreKeys.KEYTAB);
        this.existingTokenSecret = sc.getOptional(KubernetesKeys.KERBEROS_DT_SECRET_NAME);
        this.existingTokenKey = sc.getOptional(KubernetesKeys.KERBEROS_DT_SECRET_ITEM_KEY);
        this.krb5File = sc.getOptional(KubernetesKeys.KRB5_PATH);
        this.krb5ConfigMap = sc.getOptional(KubernetesKeys.KRB5_CONFIG_MAP);
        if (krb5File.isPresent() && krb5ConfigMap.isPresent()) {
            throw UserInputException.forKey(KubernetesKeys.KRB5_CONFIG_MAP.key(),
                    "cannot be set together with spark.kubernetes.kerberos.krb5.path; use one of them");
        }
        requireBoth(keytab, CoreKeys.KEYTAB, principal, CoreKeys.PRINCIPAL);
        requireBoth(existingTokenSecret, KubernetesKeys.KERBEROS_DT_SECRET_NAME.key(),
                existingTokenKey, KubernetesKeys.KERBEROS_DT_SECRET_ITEM_KEY.key());
        if (keytab.isEmpty() && existingTokenSecret.isEmpty() && HadoopSecurity.isKerberosEnabled(conf.env())) {
            throw new UserInputException(CoreKeys.KEYTAB + ": Hadoop security is enabled in HADOOP_CONF_DIR, but kspark cannot"
                    + " obtain delegation tokens from a local ticket cache; set spark.kerberos.keytab and spark.kerberos.principal,"
                    + " or spark.kubernetes.kerberos.tokenSecret.name and .itemKey");
        }
    }

    private static void requireBoth(Optional<String> a, String aKey, Optional<String> b, String bKey) {
        if (a.isPresent() && b.isEmpty()) {
            throw UserInputException.forKey(bKey, "is required when " + aKey + " is set");
        }
        if (b.isPresent() && a.isEmpty()) {
            throw UserInputException.forKey(aKey, "is required when " + bKey + " is set");
        }
    }

    private boolean needsKeytabUpload() {
        return keytab.filter(k -> !"local".equals(URI.create(k).getScheme())).isPresent();
    }

    private String prefixed(String suffix) {
        return conf.resourceNamePrefix() + suffix;
    }

    @Override
    public String sparkStepName() {
        return "org.apache.spark.deploy.k8s.features.KerberosConfDriverFeatureStep";
    }

    @Override
    public StepResult apply(SparkPod pod) {
        SparkPod result = pod;
        List<HasMetadata> resources = new ArrayList<>();
        if (krb5File.isPresent() || krb5ConfigMap.isPresent()) {
            Volume volume;
            if (krb5ConfigMap.isPresent()) {
                volume = new VolumeBuilder().withName(KRB_VOLUME).withNewConfigMap().withName(krb5ConfigMap.get()).endConfigMap().build();
            } else {
                String fileName = Path.of(krb5File.get()).getFileName().toString();
                volume = new VolumeBuilder().withName(KRB_VOLUME).withNewConfigMap().withName(prefixed("-krb5-file"))
                        .withItems(new KeyToPath(fileName, null, fileName)).endConfigMap().build();
                resources.add(new ConfigMapBuilder().withNewMetadata().withName(prefixed("-krb5-file")).endMetadata()
                        .withImmutable(true)
                        .addToData(Map.of(fileName, readText(KubernetesKeys.KRB5_PATH.key(), krb5File.get())))
                        .build());
            }
            result = new SparkPod(
                    new PodBuilder(result.pod()).editSpec().addToVolumes(volume).endSpec().build(),
                    new ContainerBuilder(result.container())
                            .addNewVolumeMount().withName(KRB_VOLUME).withMountPath("/etc/krb5.conf").withSubPath("krb5.conf").endVolumeMount()
                            .build());
        }
        if (needsKeytabUpload()) {
            String secretName = prefixed("-kerberos-keytab");
            result = new SparkPod(
                    new PodBuilder(result.pod()).editOrNewSpec()
                            .addNewVolume().withName(KEYTAB_VOLUME).withNewSecret().withSecretName(secretName).endSecret().endVolume()
                            .endSpec().build(),
                    new ContainerBuilder(result.container())
                            .addNewVolumeMount().withName(KEYTAB_VOLUME).withMountPath(KEYTAB_MOUNT).endVolumeMount()
                            .build());
            Path keytabPath = Path.of(URI.create(keytab.get()).getScheme() == null ? keytab.get() : URI.create(keytab.get()).getPath());
            byte[] bytes = readBytes(CoreKeys.KEYTAB, keytabPath.toString());
            resources.add(new SecretBuilder().withNewMetadata().withName(secretName).endMetadata()
                    .withImmutable(true)
                    .addToData(keytabPath.getFileName().toString(), Base64.getEncoder().encodeToString(bytes))
                    .build());
        } else if (existingTokenSecret.isPresent()) {
            result = new SparkPod(
                    new PodBuilder(result.pod()).editOrNewSpec()
                            .addNewVolume().withName(TOKEN_VOLUME).withNewSecret().withSecretName(existingTokenSecret.get()).endSecret().endVolume()
                            .endSpec().build(),
                    new ContainerBuilder(result.container())
                            .addNewVolumeMount().withName(TOKEN_VOLUME).withMountPath(TOKEN_DIR).endVolumeMount()
                            .addNewEnv().withName("HADOOP_TOKEN_FILE_LOCATION").withValue(TOKEN_DIR + "/" + existingTokenKey.get()).endEnv()
                            .build());
        }
        StepResult stepResult = StepResult.of(result).withResources(resources);
        if (needsKeytabUpload()) {
            String name = Path.of(keytab.get()).getFileName().toString();
            stepResult = stepResult.withProperties(Map.of(CoreKeys.KEYTAB, KEYTAB_MOUNT + "/" + name));
        }
        return stepResult;
    }

    private String readText(String key, String path) {
        try {
            return conf.env().readText(path);
        } catch (UserInputException e) {
            throw UserInputException.forKey(key, "cannot read " + path);
        }
    }

    private byte[] readBytes(String key, String path) {
        try {
            return conf.env().readFile(path);
        } catch (UserInputException e) {
            throw UserInputException.forKey(key, "cannot read " + path);
        }
    }
}
