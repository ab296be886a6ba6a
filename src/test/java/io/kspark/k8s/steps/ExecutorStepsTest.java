package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.SparkConf;
import io.kspark.k8s.ExecutorConf;
import io.kspark.k8s.ExecutorContext;
import io.kspark.k8s.ExecutorProfile;
import io.kspark.k8s.ExecutorSpec;
import io.kspark.k8s.ExecutorSpecBuilder;
import io.kspark.testing.Confs;
import io.kspark.testing.FixedIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutorStepsTest {

    private static ExecutorSpec build(String... keyValues) {
        return ExecutorSpecBuilder.build(Confs.executor(Confs.conf(keyValues), "7"));
    }

    private static Container sparkContainer(ExecutorSpec spec) {
        return Confs.container(spec.pod(), "spark-kubernetes-executor");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "defaults                                   | spark.app.name=spark-pi                                     | 1408Mi",
            "4g heap: 10% overhead                      | spark.executor.memory=4g                                    | 4505Mi",
            "python: k8s factor from driver conf (0.4)  | spark.kubernetes.resource.type=python,spark.kubernetes.memoryOverheadFactor=0.4 | 1433Mi",
            "python adds pyspark memory                 | spark.kubernetes.resource.type=python,spark.executor.pyspark.memory=512m | 1920Mi",
            "jvm ignores pyspark memory                 | spark.executor.pyspark.memory=512m                          | 1408Mi",
            "off-heap counts                            | spark.memory.offHeap.enabled=true,spark.memory.offHeap.size=1g | 2432Mi",
            "explicit overhead                          | spark.executor.memoryOverhead=1g                            | 2048Mi",
            "executor factor wins                       | spark.executor.memoryOverheadFactor=0.5,spark.kubernetes.memoryOverheadFactor=0.4 | 1536Mi"})
    void memoryIsHeapPlusOverheadPlusOffHeap(String description, String settings, String expected) {
        String[] keyValues = settings.split("[,=]");
        Container c = sparkContainer(build(keyValues));
        assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity(expected));
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity(expected));
    }

    @Test
    void defaultJavaOptionsComeBeforeTheExtraOnes() {
        Container both = sparkContainer(build("spark.executor.defaultJavaOptions", "-Dsite=1 -Dexec={{EXECUTOR_ID}}",
                "spark.executor.extraJavaOptions", "-Dapp=x"));
        assertThat(both.getEnv()).filteredOn(e -> e.getName().startsWith("SPARK_JAVA_OPT_")).extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactly("SPARK_JAVA_OPT_0=-Dsite=1", "SPARK_JAVA_OPT_1=-Dexec=7", "SPARK_JAVA_OPT_2=-Dapp=x",
                        "SPARK_JAVA_OPT_3=-Dspark.driver.port=7078");
        Container defaultsOnly = sparkContainer(build("spark.executor.defaultJavaOptions", "-Dsite=1"));
        assertThat(Confs.envValue(defaultsOnly, "SPARK_JAVA_OPT_0")).isEqualTo("-Dsite=1");
    }

    @Test
    void podHasSparksNameLabelsEnvAndPorts() {
        ExecutorSpec spec = build("spark.executor.cores", "2", "spark.kubernetes.executor.label.team", "data",
                "spark.kubernetes.executor.label.exec", "e{{EXECUTOR_ID}}", "spark.kubernetes.executor.annotation.note", "{{APP_ID}}",
                "spark.executorEnv.MODE", "prod", "spark.executorEnv.1BAD", "x",
                "spark.executor.extraJavaOptions", "-Dapp={{APP_ID}} -Dx=\"a b\"", "spark.executor.extraClassPath", "/extra/*");
        Pod pod = spec.pod();
        assertThat(pod.getMetadata().getName()).isEqualTo("spark-pi-exec-prefix-exec-7");
        assertThat(pod.getMetadata().getLabels()).containsEntry("spark-exec-id", "7").containsEntry("spark-role", "executor")
                .containsEntry("spark-exec-resourceprofile-id", "0").containsEntry("spark-app-selector", FixedIds.APP_ID)
                .containsEntry("team", "data").containsEntry("exec", "e7").containsEntry("spark-version", "4.1.1");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", FixedIds.APP_ID);
        assertThat(pod.getSpec().getHostname()).isEqualTo("spark-pi-exec-prefix-exec-7");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
        Container c = sparkContainer(spec);
        assertThat(c.getArgs()).containsExactly("executor");
        assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort()).containsExactly("blockmanager:7079");
        assertThat(Confs.envValue(c, "SPARK_DRIVER_URL")).isEqualTo("spark://CoarseGrainedScheduler@spark-pi-svc.default.svc:7078");
        assertThat(Confs.envValue(c, "SPARK_EXECUTOR_CORES")).isEqualTo("2");
        assertThat(Confs.envValue(c, "SPARK_EXECUTOR_MEMORY")).isEqualTo("1024m");
        assertThat(Confs.envValue(c, "SPARK_EXECUTOR_ID")).isEqualTo("7");
        assertThat(Confs.envValue(c, "MODE")).isEqualTo("prod");
        assertThat(Confs.env(c, "1BAD")).isEmpty();
        assertThat(Confs.envValue(c, "SPARK_CLASSPATH")).isEqualTo("/extra/*");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().startsWith("SPARK_JAVA_OPT_")).extracting(e -> e.getValue())
                .containsExactly("-Dapp=" + FixedIds.APP_ID, "-Dx=a b", "-Dspark.driver.port=7078");
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("2"));
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("spark-conf-volume-exec", "spark-local-dir-1");
        assertThat(Confs.envValue(c, "SPARK_LOCAL_DIRS")).isEqualTo("/var/data/spark-exec-uuid");
    }

    @Test
    void cpuRequestLimitAndGpus() {
        Container c = sparkContainer(build("spark.executor.cores", "3", "spark.kubernetes.executor.request.cores", "0.5",
                "spark.kubernetes.executor.limit.cores", "3", "spark.executor.resource.gpu.amount", "2",
                "spark.executor.resource.gpu.vendor", "nvidia.com"));
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("0.5"));
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("3")).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThatThrownBy(() -> build("spark.kubernetes.executor.request.cores", "2", "spark.kubernetes.executor.limit.cores", "1"))
                .hasMessageStartingWith("spark.kubernetes.executor.limit.cores: ");
    }

    @Test
    void decommissionDisabledConfigMapAndBlockManagerPortZero() {
        ExecutorSpec spec = build("spark.decommission.enabled", "true", "spark.kubernetes.executor.disableConfigMap", "true",
                "spark.blockManager.port", "0", "spark.kubernetes.executor.terminationGracePeriodSeconds", "60");
        Container c = sparkContainer(spec);
        assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("/opt/decom.sh");
        assertThat(c.getPorts()).isEmpty();
        assertThat(spec.pod().getSpec().getVolumes()).extracting(v -> v.getName()).doesNotContain("spark-conf-volume-exec");
        assertThat(spec.pod().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(60L);
        assertThatThrownBy(() -> build("spark.blockManager.port", "80")).hasMessageStartingWith("spark.blockManager.port: ");
    }

    @Test
    void serviceAccountFallsBackToTheDriversAndOnDemandClaimsUseTheExecutorId() {
        ExecutorSpec spec = build("spark.kubernetes.authenticate.driver.serviceAccountName", "driver-sa",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.mount.path", "/data",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.claimName", "OnDemand",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.storageClass", "gp3",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.data.options.sizeLimit", "10Gi",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.shared.mount.path", "/shared",
                "spark.kubernetes.executor.volumes.persistentVolumeClaim.shared.options.claimName", "claim-SPARK_EXECUTOR_ID");
        assertThat(spec.pod().getSpec().getServiceAccountName()).isEqualTo("driver-sa");
        assertThat(spec.resources()).hasSize(1);
        assertThat(((PersistentVolumeClaim) spec.resources().get(0)).getMetadata().getName()).isEqualTo("spark-pi-exec-prefix-exec-7-pvc-0");
        assertThat(spec.pod().getSpec().getVolumes()).filteredOn(v -> v.getName().equals("shared"))
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("claim-7");
    }

    @Test
    void templateContainerIsSelectedByNameAndOthersKept() {
        Pod template = new PodBuilder()
                .withNewMetadata().addToLabels("from", "template").endMetadata()
                .withNewSpec()
                    .addNewContainer().withName("sidecar").withImage("busybox").endContainer()
                    .addNewContainer().withName("main").withNewResources().addToLimits("ephemeral-storage", new Quantity("1Gi")).endResources().endContainer()
                    .addNewToleration().withKey("dedicated").withValue("spark").endToleration()
                .endSpec().build();
        SparkConf conf = Confs.conf("spark.kubernetes.executor.podTemplateContainerName", "main")
                .set("spark.app.id", FixedIds.APP_ID).set("spark.driver.host", "h").set("spark.kubernetes.executor.podNamePrefix", "p");
        ExecutorContext context = new ExecutorContext(conf, FixedIds.APP_ID, Optional.empty(), Map.of(), "root", "cm", List.of(),
                Optional.of(template), Optional.empty(), "/var/data/x");
        Pod pod = ExecutorSpecBuilder.build(new ExecutorConf(context, "1", ExecutorProfile.DEFAULT)).pod();
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("sidecar", "main");
        Container main = Confs.container(pod, "main");
        assertThat(main.getResources().getLimits()).containsKeys("ephemeral-storage", "memory");
        assertThat(pod.getMetadata().getLabels()).containsEntry("from", "template").containsEntry("spark-exec-id", "1");
        assertThat(pod.getSpec().getTolerations()).hasSize(1);
    }

    /** conf key=value pairs; whether the executor gets the driver's secret in its env */
    @ParameterizedTest(name = "{0} -> secret in env: {1}")
    @CsvSource(delimiter = '|', value = {
            "spark.authenticate=true                                                                  | true",
            "spark.authenticate=true,spark.authenticate.secret.executor.file=/mnt/secret/key          | false",
            "spark.authenticate=true,spark.authenticate.secret.file=/mnt/secret/key                   | false",
            "spark.authenticate=true,spark.authenticate.secret.driver.file=/mnt/secret/key            | true"})
    void executorsGetTheSecretInTheirEnvUnlessTheyReadItFromAFile(String settings, boolean inEnv) {
        ExecutorConf base = Confs.executor(Confs.conf(settings.split("[,=]")), "7");
        ExecutorContext c = base.context();
        ExecutorContext withSecret = new ExecutorContext(c.conf(), c.appId(), c.driverPod(), c.driverEnv(), c.userName(), c.configMapName(),
                c.confFileNames(), c.podTemplate(), Optional.of("generated-secret"), c.defaultLocalDir());
        Container container = sparkContainer(ExecutorSpecBuilder.build(new ExecutorConf(withSecret, "7", ExecutorProfile.DEFAULT)));
        if (inEnv) {
            assertThat(Confs.envValue(container, "_SPARK_AUTH_SECRET")).isEqualTo("generated-secret");
        } else {
            assertThat(Confs.env(container, "_SPARK_AUTH_SECRET")).isEmpty();
        }
    }

    @Test
    void executorStartupConfsBecomeJavaOptions() {
        assertThat(BasicExecutorStep.isExecutorStartupConf("spark.driver.port")).isTrue();
        assertThat(BasicExecutorStep.isExecutorStartupConf("spark.authenticate")).isTrue();
        assertThat(BasicExecutorStep.isExecutorStartupConf("spark.authenticate.secret")).isFalse();
        assertThat(BasicExecutorStep.isExecutorStartupConf("spark.ssl.keyPassword")).isFalse();
        assertThat(BasicExecutorStep.isExecutorStartupConf("spark.rpc.askTimeout")).isTrue();
        assertThat(BasicExecutorStep.isExecutorStartupConf("spark.executor.memory")).isFalse();
    }

    @Test
    void hostnameKeepsTheLast63Characters() {
        String name = "a".repeat(70) + "-exec-1";
        assertThat(BasicExecutorStep.hostname(name)).hasSize(63).endsWith("-exec-1");
        assertThat(BasicExecutorStep.hostname("-.x-exec-1")).isEqualTo("x-exec-1");
    }

    @Test
    void splitterHonoursQuotes() {
        assertThat(CommandLineSplitter.split("-Da=1  -Db=\"x y\" '-Dc=$HOME' -Dd=\\q")).containsExactly("-Da=1", "-Db=x y", "-Dc=$HOME", "-Dd=\\q");
    }
}
