package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.MainResource;
import io.kspark.k8s.SparkPod;
import io.kspark.k8s.StepResult;
import io.kspark.testing.Confs;
import io.kspark.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverStepsTest {

    private static DriverConf driver(String... keyValues) {
        return Confs.driver(Confs.conf(keyValues));
    }

    private static Volume volume(Pod pod, String name) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private static VolumeMount mount(Container c, String name) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void serviceIsHeadlessSelectsTheDriverAndSetsDriverHost() {
        DriverConf conf = driver("spark.kubernetes.namespace", "jobs", "spark.kubernetes.driver.service.label.team", "data",
                "spark.kubernetes.driver.service.annotation.note", "hi");
        StepResult result = new DriverServiceStep(conf).apply(SparkPod.initial());
        Service service = (Service) result.resources().get(0);
        assertThat(service.getMetadata().getName()).isEqualTo("spark-pi-0000000000000001-driver-svc");
        assertThat(service.getMetadata().getLabels()).containsEntry("spark-app-selector", conf.appId()).containsEntry("team", "data");
        assertThat(service.getMetadata().getAnnotations()).containsEntry("note", "hi");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isEqualTo(conf.labels());
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactly("driver-rpc-port:7078", "blockmanager:7079", "spark-ui:4040", "spark-connect:15002");
        assertThat(result.sparkProperties())
                .containsEntry("spark.driver.host", "spark-pi-0000000000000001-driver-svc.jobs.svc")
                .containsEntry("spark.driver.port", "7078")
                .containsEntry("spark.driver.blockManager.port", "7079");
    }

    @Test
    void longAppNamesFallBackToAShortServiceName() {
        DriverConf conf = driver("spark.app.name", "a-very-long-application-name-that-does-not-fit-into-a-dns-label");
        assertThat(conf.driverServiceName()).isEqualTo("spark-0000000000000002-driver-svc");
    }

    @Test
    void driverHostOrBindAddressInConfAreRejected() {
        assertThatThrownBy(() -> new DriverServiceStep(driver("spark.driver.bindAddress", "1.2.3.4")))
                .hasMessageStartingWith("spark.driver.bindAddress: ");
    }

    @Test
    void secretsAreMountedAndEnvSecretsReferenced() {
        DriverConf conf = driver("spark.kubernetes.driver.secrets.db-creds", "/etc/db",
                "spark.kubernetes.driver.secretKeyRef.DB_PASSWORD", "db-creds:password");
        SparkPod pod = new MountSecretsStep(conf).apply(SparkPod.initial()).pod();
        pod = new EnvSecretsStep(conf).apply(pod).pod();
        assertThat(volume(pod.pod(), "db-creds-volume").getSecret().getSecretName()).isEqualTo("db-creds");
        assertThat(mount(pod.container(), "db-creds-volume").getMountPath()).isEqualTo("/etc/db");
        var ref = Confs.env(pod.container(), "DB_PASSWORD").orElseThrow().getValueFrom().getSecretKeyRef();
        assertThat(ref.getName()).isEqualTo("db-creds");
        assertThat(ref.getKey()).isEqualTo("password");
        assertThatThrownBy(() -> new EnvSecretsStep(driver("spark.kubernetes.driver.secretKeyRef.X", "nocolon")))
                .hasMessageStartingWith("spark.kubernetes.driver.secretKeyRef.X: ");
        assertThatThrownBy(() -> new EnvSecretsStep(driver("spark.kubernetes.driver.secretKeyRef.X", "Bad_Sec:a")))
                .hasMessage("spark.kubernetes.driver.secretKeyRef.X: 'Bad_Sec' is not a Secret name (lower-case DNS subdomain)");
        assertThatThrownBy(() -> new EnvSecretsStep(driver("spark.kubernetes.driver.secretKeyRef.X", "db:a b")))
                .hasMessage("spark.kubernetes.driver.secretKeyRef.X: 'a b' is not a Secret key (letters, digits, '-', '_', '.')");
        assertThatThrownBy(() -> new EnvSecretsStep(driver("spark.kubernetes.driver.secretKeyRef.1X", "db:a")))
                .hasMessage("spark.kubernetes.driver.secretKeyRef.1X: '1X' is not a valid environment variable name");
        assertThat(Confs.env(new EnvSecretsStep(driver("spark.kubernetes.driver.secretKeyRef.my.var", "db.creds:tls.key_1"))
                .apply(SparkPod.initial()).pod().container(), "my.var")).isPresent();
    }

    @Test
    void everyVolumeTypeIsMountedAndOnDemandClaimsAreCreated() {
        DriverConf conf = driver(
                "spark.kubernetes.driver.volumes.hostPath.logs.mount.path", "/logs",
                "spark.kubernetes.driver.volumes.hostPath.logs.mount.readOnly", "true",
                "spark.kubernetes.driver.volumes.hostPath.logs.options.path", "/var/log",
                "spark.kubernetes.driver.volumes.hostPath.logs.options.type", "Directory",
                "spark.kubernetes.driver.volumes.emptyDir.scratch.mount.path", "/scratch",
                "spark.kubernetes.driver.volumes.emptyDir.scratch.options.medium", "Memory",
                "spark.kubernetes.driver.volumes.emptyDir.scratch.options.sizeLimit", "1Gi",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.path", "/data",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.mount.subPath", "team",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName", "shared",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.mount.path", "/ckpt",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.options.claimName", "OnDemand",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.options.storageClass", "standard",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.options.sizeLimit", "5Gi",
                "spark.kubernetes.driver.volumes.persistentVolumeClaim.ckpt.label.tier", "fast",
                "spark.kubernetes.driver.volumes.nfs.share.mount.path", "/share",
                "spark.kubernetes.driver.volumes.nfs.share.options.server", "nfs.example",
                "spark.kubernetes.driver.volumes.nfs.share.options.path", "/exports");
        StepResult result = MountVolumesStep.forDriver(conf).apply(SparkPod.initial());
        Pod pod = result.pod().pod();
        assertThat(volume(pod, "logs").getHostPath().getPath()).isEqualTo("/var/log");
        assertThat(volume(pod, "logs").getHostPath().getType()).isEqualTo("Directory");
        assertThat(mount(result.pod().container(), "logs").getReadOnly()).isTrue();
        assertThat(volume(pod, "scratch").getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(volume(pod, "scratch").getEmptyDir().getSizeLimit().toString()).isEqualTo("1Gi");
        assertThat(volume(pod, "data").getPersistentVolumeClaim().getClaimName()).isEqualTo("shared");
        assertThat(mount(result.pod().container(), "data").getSubPath()).isEqualTo("team");
        // More than four volumes: Spark maps its Scala HashSet of (type, name) into a HashSet of volume specs, whose
        // order decides volume order and claim numbers (goldens with more than four volumes pin the model down).
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("scratch", "data", "logs", "ckpt", "share");
        assertThat(volume(pod, "ckpt").getPersistentVolumeClaim().getClaimName()).isEqualTo("spark-pi-0000000000000001-driver-pvc-3");
        assertThat(volume(pod, "share").getNfs().getServer()).isEqualTo("nfs.example");
        List<HasMetadata> claims = result.resources();
        assertThat(claims).hasSize(1);
        PersistentVolumeClaim claim = (PersistentVolumeClaim) claims.get(0);
        assertThat(claim.getMetadata().getName()).isEqualTo("spark-pi-0000000000000001-driver-pvc-3");
        assertThat(claim.getMetadata().getLabels()).isEqualTo(Map.of("tier", "fast", "spark-app-selector", conf.appId()));
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOncePod");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
    }

    @Test
    void volumeErrorsNameTheKey() {
        assertThatThrownBy(() -> MountVolumesStep.forDriver(driver("spark.kubernetes.driver.volumes.hostPath.logs.options.path", "/x")))
                .isInstanceOf(UserInputException.class)
                .hasMessage("spark.kubernetes.driver.volumes.hostPath.logs.mount.path: is required for every volume");
        assertThatThrownBy(() -> MountVolumesStep.forDriver(driver("spark.kubernetes.driver.volumes.hostPath.logs.mount.path", "/x")))
                .hasMessageStartingWith("spark.kubernetes.driver.volumes.hostPath.logs.options.path: ");
        assertThatThrownBy(() -> MountVolumesStep.forDriver(driver("spark.kubernetes.driver.volumes.secret.s.mount.path", "/x")))
                .hasMessageContaining("volume type 'secret' is not supported");
        assertThatThrownBy(() -> MountVolumesStep.forDriver(driver(
                "spark.kubernetes.driver.volumes.emptyDir.tmp.mount.path", "/x",
                "spark.kubernetes.driver.volumes.emptyDir.tmp.options.sizeLimit", "100")))
                .hasMessageContaining("smaller than 1KiB");
        assertThatThrownBy(() -> MountVolumesStep.forDriver(driver(
                "spark.kubernetes.driver.volumes.emptyDir.Tmp.mount.path", "/x")))
                .hasMessageContaining("lower-case DNS label");
    }

    @Test
    void commandArgsForJavaPythonAndR() {
        Container java = new DriverCommandStep(Confs.driver(Confs.conf())).apply(SparkPod.initial()).pod().container();
        assertThat(java.getArgs()).containsExactly("driver", "--properties-file", "/opt/spark/conf/spark.properties",
                "--class", "org.example.Main", "local:///opt/app.jar", "arg1");
        DriverConf python = Confs.driver(Confs.conf("spark.pyspark.python", "python3"), new MainResource.Python("local:///a.py"),
                TestEnvironment.empty());
        StepResult py = new DriverCommandStep(python).apply(SparkPod.initial());
        assertThat(py.pod().container().getArgs()).contains("local:///a.py");
        assertThat(Confs.envValue(py.pod().container(), "PYSPARK_PYTHON")).isEqualTo("python3");
        assertThat(Confs.envValue(py.pod().container(), "PYSPARK_DRIVER_PYTHON")).isEqualTo("python3");
        assertThat(py.sparkProperties()).containsEntry("spark.kubernetes.resource.type", "python");
        DriverConf withProxy = DriverConf.create(Confs.conf(), new MainResource.R("local:///a.R"), "org.apache.spark.deploy.RRunner",
                List.of(), Optional.of("alice"), new io.kspark.testing.FixedIds(), TestEnvironment.empty());
        assertThat(new DriverCommandStep(withProxy).apply(SparkPod.initial()).pod().container().getArgs())
                .startsWith("driver", "--proxy-user", "alice", "--properties-file");
    }

    @Test
    void credentialsAreShippedInAnImmutableSecretAndRedactedInProperties() {
        TestEnvironment env = TestEnvironment.empty().withFile("/creds/ca.crt", "CA");
        DriverConf conf = Confs.driver(Confs.conf("spark.kubernetes.authenticate.driver.oauthToken", "tok3n",
                "spark.kubernetes.authenticate.driver.caCertFile", "/creds/ca.crt"), new MainResource.Java("local:///a.jar"), env);
        StepResult result = new DriverCredentialsStep(conf).apply(SparkPod.initial());
        Secret secret = (Secret) result.resources().get(0);
        assertThat(secret.getMetadata().getName()).isEqualTo("spark-pi-0000000000000001-kubernetes-credentials");
        assertThat(secret.getImmutable()).isTrue();
        assertThat(secret.getData()).containsEntry("oauth-token", Base64.getEncoder().encodeToString("tok3n".getBytes(StandardCharsets.UTF_8)))
                .containsEntry("ca-cert", Base64.getEncoder().encodeToString("CA".getBytes(StandardCharsets.UTF_8)));
        assertThat(mount(result.pod().container(), "kubernetes-credentials").getMountPath()).isEqualTo("/mnt/secrets/spark-kubernetes-credentials");
        assertThat(result.sparkProperties())
                .containsEntry("spark.kubernetes.authenticate.driver.oauthToken", "<present_but_redacted>")
                .containsEntry("spark.kubernetes.authenticate.driver.mounted.oauthTokenFile", "/mnt/secrets/spark-kubernetes-credentials/oauth-token")
                .containsEntry("spark.kubernetes.authenticate.driver.mounted.caCertFile", "/mnt/secrets/spark-kubernetes-credentials/ca-cert");
        assertThat(result.sparkProperties().values()).doesNotContain("tok3n");
    }

    @Test
    void serviceAccountIsSetWithoutCredentials() {
        Pod pod = new DriverCredentialsStep(driver("spark.kubernetes.authenticate.driver.serviceAccountName", "spark"))
                .apply(SparkPod.initial()).pod().pod();
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("spark");
        assertThat(pod.getSpec().getServiceAccount()).isEqualTo("spark");
    }

    @Test
    void localDirsAreEmptyDirsInMemoryWithTmpfs() {
        DriverConf conf = driver("spark.local.dir", "/tmp/a,/tmp/b", "spark.kubernetes.local.dirs.tmpfs", "true");
        SparkPod pod = new LocalDirsStep(conf, Optional.empty(), conf.defaultLocalDir()).apply(SparkPod.initial()).pod();
        assertThat(pod.pod().getSpec().getVolumes()).extracting(Volume::getName).containsExactly("spark-local-dir-1", "spark-local-dir-2");
        assertThat(volume(pod.pod(), "spark-local-dir-2").getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(Confs.envValue(pod.container(), "SPARK_LOCAL_DIRS")).isEqualTo("/tmp/a,/tmp/b");
        DriverConf plain = driver();
        SparkPod generated = new LocalDirsStep(plain, Optional.empty(), plain.defaultLocalDir()).apply(SparkPod.initial()).pod();
        assertThat(Confs.envValue(generated.container(), "SPARK_LOCAL_DIRS")).isEqualTo("/var/data/spark-00000000-0000-0000-0000-000000000001");
        assertThat(volume(generated.pod(), "spark-local-dir-1").getEmptyDir().getMedium()).isNull();
    }

    @Test
    void executorTemplateTravelsInAConfigMap() {
        DriverConf conf = driver();
        StepResult result = new PodTemplateConfigMapStep(conf, Optional.of("kind: Pod\n")).apply(SparkPod.initial());
        ConfigMap cm = (ConfigMap) result.resources().get(0);
        assertThat(cm.getMetadata().getName()).isEqualTo("spark-pi-0000000000000001-driver-podspec-conf-map");
        assertThat(cm.getData()).containsEntry("podspec-configmap-key", "kind: Pod\n");
        assertThat(mount(result.pod().container(), "pod-template-volume").getMountPath()).isEqualTo("/opt/spark/pod-template");
        assertThat(result.sparkProperties()).containsEntry("spark.kubernetes.executor.podTemplateFile", "/opt/spark/pod-template/pod-spec-template.yml");
    }

    @Test
    void hadoopConfDirIsShippedAsConfigMap() {
        TestEnvironment env = TestEnvironment.empty().withEnv("HADOOP_CONF_DIR", "/hadoop")
                .withFile("/hadoop/core-site.xml", "<configuration/>").withFile("/hadoop/hdfs-site.xml", "<configuration/>");
        DriverConf conf = Confs.driver(Confs.conf(), new MainResource.Java("local:///a.jar"), env);
        StepResult result = new HadoopConfDriverStep(conf).apply(SparkPod.initial());
        ConfigMap cm = (ConfigMap) result.resources().get(0);
        assertThat(cm.getMetadata().getName()).isEqualTo("spark-pi-0000000000000001-hadoop-config");
        assertThat(cm.getData()).containsOnlyKeys("core-site.xml", "hdfs-site.xml");
        assertThat(Confs.envValue(result.pod().container(), "HADOOP_CONF_DIR")).isEqualTo("/opt/hadoop/conf");
        assertThat(result.sparkProperties()).containsEntry("spark.kubernetes.executor.hadoopConfigMapName", cm.getMetadata().getName());
        SparkConf both = Confs.conf("spark.kubernetes.hadoop.configMapName", "existing");
        assertThatThrownBy(() -> new HadoopConfDriverStep(Confs.driver(both, new MainResource.Java("local:///a.jar"), env)))
                .hasMessageStartingWith("spark.kubernetes.hadoop.configMapName: ");
    }

    @Test
    void kerberosKeytabIsShippedAndTokenSecretMounted() {
        TestEnvironment env = TestEnvironment.empty().withFile("/k/app.keytab", new byte[] {1, 2, 3}).withFile("/k/krb5.conf", "[libdefaults]");
        DriverConf keytab = Confs.driver(Confs.conf("spark.kerberos.keytab", "/k/app.keytab", "spark.kerberos.principal", "me@X",
                "spark.kubernetes.kerberos.krb5.path", "/k/krb5.conf"), new MainResource.Java("local:///a.jar"), env);
        StepResult result = new KerberosStep(keytab).apply(SparkPod.initial());
        assertThat(result.resources()).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .containsExactly("ConfigMap/spark-pi-0000000000000001-krb5-file", "Secret/spark-pi-0000000000000001-kerberos-keytab");
        assertThat(mount(result.pod().container(), "krb5-file").getSubPath()).isEqualTo("krb5.conf");
        assertThat(result.sparkProperties()).containsEntry("spark.kerberos.keytab", "/mnt/secrets/kerberos-keytab/app.keytab");
        DriverConf tokens = driver("spark.kubernetes.kerberos.tokenSecret.name", "dt", "spark.kubernetes.kerberos.tokenSecret.itemKey", "k");
        Container c = new KerberosStep(tokens).apply(SparkPod.initial()).pod().container();
        assertThat(Confs.envValue(c, "HADOOP_TOKEN_FILE_LOCATION")).isEqualTo("/mnt/secrets/hadoop-credentials/k");
        assertThatThrownBy(() -> new KerberosStep(driver("spark.kubernetes.kerberos.tokenSecret.name", "dt")))
                .hasMessageStartingWith("spark.kubernetes.kerberos.tokenSecret.itemKey: is required");
        TestEnvironment kerberized = TestEnvironment.empty().withEnv("HADOOP_CONF_DIR", "/h").withFile("/h/core-site.xml",
                "<configuration><property><name>hadoop.security.authentication</name><value>kerberos</value></property></configuration>");
        assertThatThrownBy(() -> new KerberosStep(Confs.driver(Confs.conf(), new MainResource.Java("local:///a.jar"), kerberized)))
                .hasMessageStartingWith("spark.kerberos.keytab: Hadoop security is enabled");
    }

    @Test
    void customDriverFeatureStepsAreRejected() {
        assertThatThrownBy(() -> io.kspark.k8s.DriverSpecBuilder.build(driver("spark.kubernetes.driver.pod.featureSteps", "com.example.Step")))
                .hasMessageStartingWith("spark.kubernetes.driver.pod.featureSteps: ");
    }

    @Test
    void excludedStepsAreSkipped() {
        var spec = io.kspark.k8s.DriverSpecBuilder.build(driver("spark.kubernetes.driver.pod.excludedFeatureSteps",
                "org.apache.spark.deploy.k8s.features.LocalDirsFeatureStep"));
        assertThat(spec.pod().container().getEnv()).noneMatch(e -> e.getName().equals("SPARK_LOCAL_DIRS"));
    }
}
