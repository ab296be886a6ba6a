package io.kspark.cli;

import io.kspark.conf.PropertiesFiles;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.submit.ExecutorPreview;
import io.kspark.submit.SubmissionPlan;
import io.kspark.submit.SubmissionPlanner;
import io.kspark.submit.SubmitArguments;
import io.kspark.testing.FixedIds;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KsparkSubmissionCustomizerTest {

    static SubmissionPlan plan(String... conf) {
        List<String> confs = new ArrayList<>(List.of("spark.kubernetes.container.image=apache/spark:4.1.1"));
        confs.addAll(List.of(conf));
        SubmitArguments args = new SubmitArguments("k8s://https://api:6443", "cluster", "pi", "org.example.Pi", confs, null, false, null, null,
                null, null, null, null, null, null, null, null, null, "3", null, null, null, null, null, null, null, false, "local:///opt/app.jar", List.of());
        return new SubmissionPlanner(LocalEnvironment.of(Map.of()), new FixedIds(), Clock.systemUTC(), new KsparkSubmissionCustomizer()).plan(args);
    }

    static Map<String, String> properties(SubmissionPlan plan) {
        return PropertiesFiles.parse(plan.objects().confConfigMap().getData().get("spark.properties"));
    }

    @Test
    void driverModeChangesNothing() {
        SubmissionPlan plan = plan();
        assertThat(plan.objects().driverPod().getMetadata().getLabels()).doesNotContainKey(KsparkMetadata.RECONCILER_LABEL);
        assertThat(plan.objects().driverPod().getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(properties(plan)).doesNotContainKey("spark.kubernetes.allocation.pods.allocator");
    }

    @Test
    void controllerModeHandsAllocationToTheKsparkAllocator() {
        SubmissionPlan plan = plan("spark.kspark.reconciler=controller", "spark.kspark.pluginJar=https://repo.example/kspark-spark-plugin.jar");
        assertThat(plan.objects().driverPod().getMetadata().getLabels()).containsEntry(KsparkMetadata.RECONCILER_LABEL, "controller");
        assertThat(plan.objects().driverPod().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_TARGET, "3");
        assertThat(properties(plan))
                .containsEntry("spark.kubernetes.allocation.pods.allocator", "io.kspark.spark.KsparkPodsAllocator")
                .containsEntry("spark.jars", "https://repo.example/kspark-spark-plugin.jar,local:///opt/app.jar");
        var executor = new KsparkSubmissionCustomizer().adjustExecutorPreview(plan.prepared().conf(),
                ExecutorPreview.executorOne(plan.objects(), new FixedIds()));
        assertThat(executor.pod().getMetadata().getLabels()).containsEntry(KsparkMetadata.RECONCILER_LABEL, "controller");
        assertThat(executor.pod().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void dynamicAllocationSetsTheInitialTarget() {
        SubmissionPlan plan = plan("spark.kspark.reconciler=controller", "spark.dynamicAllocation.enabled=true",
                "spark.dynamicAllocation.shuffleTracking.enabled=true", "spark.dynamicAllocation.minExecutors=1",
                "spark.dynamicAllocation.initialExecutors=5");
        assertThat(plan.objects().driverPod().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_TARGET, "5");
    }

    @Test
    void sparkAuthenticateWithASecretFileIsHandedToTheReconciler() {
        SubmissionPlan plan = plan("spark.kspark.reconciler=controller", "spark.authenticate=true",
                "spark.authenticate.secret.file=/mnt/spark-auth/secret", "spark.kubernetes.driver.secrets.spark-auth=/mnt/spark-auth",
                "spark.kubernetes.executor.secrets.spark-auth=/mnt/spark-auth");
        assertThat(plan.objects().driverPod().getMetadata().getLabels()).containsEntry(KsparkMetadata.RECONCILER_LABEL, "controller");
        assertThat(properties(plan)).containsEntry("spark.authenticate", "true")
                .containsEntry("spark.kubernetes.allocation.pods.allocator", "io.kspark.spark.KsparkPodsAllocator");
    }

    @Test
    void incompatibleSettingsAreRefused() {
        assertThatThrownBy(() -> plan("spark.kspark.reconciler=controller", "spark.authenticate=true"))
                .hasMessageStartingWith("spark.kspark.reconciler: 'controller' cannot be combined with spark.authenticate=true")
                .hasMessageContaining("spark.authenticate.secret.file");
        assertThatThrownBy(() -> plan("spark.kspark.reconciler=controller", "spark.authenticate=true",
                "spark.authenticate.secret.driver.file=/mnt/driver/secret"))
                .as("a driver file alone leaves executors with the generated secret").hasMessageContaining("spark.authenticate=true");
        assertThatThrownBy(() -> plan("spark.kspark.reconciler=controller", "spark.kubernetes.allocation.pods.allocator=statefulset"))
                .hasMessageStartingWith("spark.kubernetes.allocation.pods.allocator: 'statefulset' cannot be combined");
        assertThatThrownBy(() -> plan("spark.kspark.reconciler=sidecar", "spark.kspark.image=k", "spark.kspark.sidecar.port=4040"))
                .hasMessageStartingWith("spark.kspark.sidecar.port: port 4040 is used by the Spark driver");
        // kspark allocates for these apps, so what its reconciler would refuse is refused at submission.
        assertThatThrownBy(() -> plan("spark.kspark.reconciler=controller", "spark.kubernetes.allocation.batch.size=0"))
                .isInstanceOf(io.kspark.conf.UserInputException.class).hasMessageStartingWith("spark.kubernetes.allocation.batch.size");
        assertThatThrownBy(() -> plan("spark.kspark.reconciler=sidecar", "spark.kspark.image=k",
                "spark.kubernetes.allocation.maxPendingPods=2", "spark.kubernetes.allocation.maxPendingPodsPerRp=3"))
                .hasMessageStartingWith("spark.kubernetes.allocation.maxPendingPodsPerRp: (3) must not be greater than");
        assertThat(plan("spark.kubernetes.allocation.batch.size=0").objects()).as("Spark's own allocator decides for itself").isNotNull();
    }

    @Test
    void dynamicAllocationBoundsAreCheckedAsSparksAllocationManagerDoes() {
        String[] controller = {"spark.kspark.reconciler=controller", "spark.dynamicAllocation.enabled=true",
                "spark.dynamicAllocation.shuffleTracking.enabled=true"};
        assertThatThrownBy(() -> plan(with(controller, "spark.dynamicAllocation.minExecutors=5", "spark.dynamicAllocation.maxExecutors=2")))
                .hasMessage("spark.dynamicAllocation.minExecutors: (5) must be less than or equal to spark.dynamicAllocation.maxExecutors (2)");
        assertThatThrownBy(() -> plan(with(controller, "spark.dynamicAllocation.maxExecutors=-3")))
                .hasMessage("spark.dynamicAllocation.maxExecutors: must be positive, but was -3");
        assertThatThrownBy(() -> plan(with(controller, "spark.dynamicAllocation.maxExecutors=0")))
                .hasMessageStartingWith("spark.dynamicAllocation.maxExecutors: ");
        assertThatThrownBy(() -> plan(with(controller, "spark.dynamicAllocation.minExecutors=-1")))
                .hasMessage("spark.dynamicAllocation.minExecutors: must not be negative, but was -1");
        assertThat(plan(with(controller, "spark.dynamicAllocation.minExecutors=4", "spark.dynamicAllocation.maxExecutors=4"))
                .objects().driverPod().getMetadata().getAnnotations()).containsEntry(KsparkMetadata.EXECUTOR_TARGET, "4");
    }

    @Test
    void ksparkLabelsAndAnnotationsCannotBeSetByTheUserInAnyMode() {
        for (String key : List.of("spark.kubernetes.driver.label.kspark.io/reconciler=controller",
                "spark.kubernetes.driver.annotation.kspark.io/last-executor-id=zzz",
                "spark.kubernetes.executor.label.kspark.io/reconciler=sidecar",
                "spark.kubernetes.executor.annotation.KSPARK.io/anything=x")) {
            String confKey = key.substring(0, key.indexOf('='));
            assertThatThrownBy(() -> plan(key)).as(key).isInstanceOf(io.kspark.conf.UserInputException.class)
                    .hasMessage(confKey + ": keys under kspark.io/ are kspark's own; set spark.kspark.reconciler instead");
            assertThatThrownBy(() -> plan("spark.kspark.reconciler=controller", key)).as(key).hasMessageStartingWith(confKey + ": ");
        }
        assertThat(plan("spark.kubernetes.driver.label.team.kspark.io/owner=data").objects().driverPod().getMetadata().getLabels())
                .as("another domain that merely ends in kspark.io is the user's").containsEntry("team.kspark.io/owner", "data");
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
