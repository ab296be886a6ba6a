package io.kspark.reconciler.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.reconciler.Pods;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStateTest {

    private static Pod withVersion(Pod pod, long version) {
        return new PodBuilder(pod).editMetadata().withResourceVersion(Long.toString(version)).endMetadata().build();
    }

    @Test
    void watchEventsBuildPerAppSnapshots() {
        ClusterState state = ClusterState.empty();
        var t1 = state.apply(new ClusterEvent.Upserted(PodKind.DRIVER, Pods.driver("Running", "2")));
        assertThat(t1.changed()).containsExactly(Pods.APP);
        var t2 = t1.state().apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, Pods.executor(1, "Pending", null)));
        assertThat(t2.state().app(Pods.APP).orElseThrow().executors()).containsOnlyKeys(1L);
        assertThat(t2.state().app(Pods.APP).orElseThrow().executors().get(1L).state()).isEqualTo(ExecutorState.PENDING);
        var t3 = t2.state().apply(new ClusterEvent.Deleted(PodKind.EXECUTOR, Pods.executor(1, "Pending", null)));
        assertThat(t3.state().app(Pods.APP).orElseThrow().executors()).isEmpty();
        var t4 = t3.state().apply(new ClusterEvent.Deleted(PodKind.DRIVER, Pods.driver("Running", "2")));
        assertThat(t4.state().apps()).isEmpty();
    }

    @Test
    void sameResourceVersionIsNoChange() {
        Pod driver = Pods.driver("Running", "2");
        var t1 = ClusterState.empty().apply(new ClusterEvent.Upserted(PodKind.DRIVER, driver));
        assertThat(t1.state().apply(new ClusterEvent.Upserted(PodKind.DRIVER, driver)).changed()).isEmpty();
    }

    @Test
    void relistReplacesTheScopeButKeepsNewerPods() {
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(1, "Running", null), 10))).state()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(2, "Running", null), 30))).state();
        var relisted = state.apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.of("ns"),
                List.of(withVersion(Pods.executor(3, "Pending", null), 15)), "20"));
        assertThat(relisted.changed()).containsExactly(Pods.APP);
        assertThat(relisted.state().app(Pods.APP).orElseThrow().executors()).containsOnlyKeys(2L, 3L);
    }

    @Test
    void aListOlderThanAWatchEventNeverRollsAPodBack() {
        // The watch saw the driver run and executor 1 fail; a poll taken just before arrives after.
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Upserted(PodKind.DRIVER, withVersion(Pods.driver("Running", "2"), 40))).state()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(1, "Failed", null), 42))).state();
        var drivers = state.apply(new ClusterEvent.Listed(PodKind.DRIVER, Optional.of("ns"),
                List.of(withVersion(Pods.driver("Pending", "2"), 30)), "39"));
        assertThat(drivers.changed()).isEmpty();
        var executors = drivers.state().apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.of("ns"),
                List.of(withVersion(Pods.executor(1, "Running", null), 35)), "39"));
        assertThat(executors.changed()).isEmpty();
        AppSnapshot app = executors.state().app(Pods.APP).orElseThrow();
        assertThat(app.driver().orElseThrow().getStatus().getPhase()).isEqualTo("Running");
        assertThat(app.executors().get(1L).state()).isEqualTo(ExecutorState.FAILED);
        // A newer list wins.
        var newer = executors.state().apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.of("ns"),
                List.of(withVersion(Pods.executor(1, "Failed", null), 50)), "51"));
        assertThat(newer.state().app(Pods.APP).orElseThrow().executors().get(1L).pod().getMetadata().getResourceVersion()).isEqualTo("50");
    }

    @Test
    void aListTakenBeforeADeleteNeverBringsThePodBack() {
        Pod driver = withVersion(Pods.driver("Running", "2"), 40);
        Pod executor = withVersion(Pods.executor(1, "Running", null), 41);
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Upserted(PodKind.DRIVER, driver)).state()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, executor)).state()
                .apply(new ClusterEvent.Deleted(PodKind.EXECUTOR, withVersion(executor, 50))).state();
        var stale = state.apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.of("ns"), List.of(executor), "45"));
        assertThat(stale.state().app(Pods.APP).orElseThrow().executors()).isEmpty();

        var driverGone = stale.state().apply(new ClusterEvent.Deleted(PodKind.DRIVER, withVersion(driver, 60))).state();
        var staleDrivers = driverGone.apply(new ClusterEvent.Listed(PodKind.DRIVER, Optional.of("ns"), List.of(driver), "55"));
        assertThat(staleDrivers.state().app(Pods.APP)).isEmpty();
        assertThat(staleDrivers.changed()).isEmpty();
    }

    @Test
    void tombstonesStayBounded() {
        ClusterState state = ClusterState.empty();
        for (int id = 1; id <= ClusterState.MAX_TOMBSTONES + 10; id++) {
            state = state.apply(new ClusterEvent.Deleted(PodKind.EXECUTOR, withVersion(Pods.executor(id, "Running", null), id))).state();
        }
        assertThat(state.tombstones()).hasSize(ClusterState.MAX_TOMBSTONES);
        // The oldest deletes were forgotten, the newest are kept.
        assertThat(state.tombstones().values()).doesNotContain(1L).contains((long) ClusterState.MAX_TOMBSTONES + 10);
    }

    @Test
    void relistOfAnotherNamespaceLeavesAppsAlone() {
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(1, "Running", null), 10))).state();
        var relisted = state.apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.of("other"), List.of(), "20"));
        assertThat(relisted.changed()).isEmpty();
        assertThat(relisted.state().app(Pods.APP)).isPresent();
    }

    @Test
    void driverPodRelabelledForANewApplicationLeavesTheEarlierOne() {
        // A client-mode driver pod (a notebook) runs application A, then B: the plugin relabels the same pod.
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Upserted(PodKind.DRIVER, withVersion(Pods.driver("Running", "0"), 10))).state()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(1, "Running", null), 11))).state();
        Pod relabelled = new PodBuilder(withVersion(Pods.driver("Running", "2"), 12)).editMetadata()
                .addToLabels("spark-app-selector", "spark-app-b").endMetadata().build();
        AppKey b = new AppKey(Pods.APP.namespace(), "spark-app-b");

        var next = state.apply(new ClusterEvent.Upserted(PodKind.DRIVER, relabelled));

        assertThat(next.changed()).containsExactlyInAnyOrder(Pods.APP, b);
        assertThat(next.state().app(b).orElseThrow().driver()).contains(relabelled);
        AppSnapshot a = next.state().app(Pods.APP).orElseThrow();
        assertThat(a.driver()).isEmpty();
        assertThat(a.executors()).containsOnlyKeys(1L);
        // A driver pod of the same name in another namespace is another pod.
        Pod elsewhere = new PodBuilder(relabelled).editMetadata().withNamespace("other").endMetadata().build();
        assertThat(state.apply(new ClusterEvent.Upserted(PodKind.DRIVER, elsewhere)).state().app(Pods.APP).orElseThrow().driver()).isPresent();
    }

    @Test
    void aLaggingWatchEventOfARelabelledDriverPodLeavesItWithTheNextApplication() {
        // A poll (rv 61) already showed the notebook pod relabelled for B; the watch then delivers A's older rv-45 update.
        Pod forA = withVersion(Pods.driver("Running", "0"), 45);
        Pod forB = new PodBuilder(withVersion(Pods.driver("Running", "2"), 60)).editMetadata()
                .addToLabels("spark-app-selector", "spark-app-b").endMetadata().build();
        AppKey b = new AppKey(Pods.APP.namespace(), "spark-app-b");
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Listed(PodKind.DRIVER, Optional.of("ns"), List.of(forB), "61")).state()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(1, "Running", null), 62)
                        .edit().editMetadata().addToLabels("spark-app-selector", "spark-app-b").endMetadata().build())).state();

        var late = state.apply(new ClusterEvent.Upserted(PodKind.DRIVER, forA));

        assertThat(late.changed()).isEmpty();
        assertThat(late.state().app(b).orElseThrow().driver()).contains(forB);
        assertThat(late.state().app(Pods.APP)).isEmpty();
        // An older poll showing the pod still labelled for A does not give it back to A either.
        var stalePoll = late.state().apply(new ClusterEvent.Listed(PodKind.DRIVER, Optional.of("ns"), List.of(forA), "50"));
        assertThat(stalePoll.state().app(Pods.APP)).isEmpty();
        assertThat(stalePoll.state().app(b).orElseThrow().driver()).contains(forB);
    }

    @Test
    void aLaggingWatchEventDoesNotUndoANewerPoll() {
        Pod running = withVersion(Pods.driver("Running", "2"), 40);
        Pod succeeded = withVersion(Pods.driver("Succeeded", "2"), 50);
        ClusterState state = ClusterState.empty()
                .apply(new ClusterEvent.Listed(PodKind.DRIVER, Optional.of("ns"), List.of(succeeded), "51")).state()
                .apply(new ClusterEvent.Listed(PodKind.EXECUTOR, Optional.of("ns"), List.of(withVersion(Pods.executor(1, "Failed", 1), 49)), "51"))
                .state();

        ClusterState after = state.apply(new ClusterEvent.Upserted(PodKind.DRIVER, running)).state()
                .apply(new ClusterEvent.Upserted(PodKind.EXECUTOR, withVersion(Pods.executor(1, "Running", null), 44))).state();

        AppSnapshot app = after.app(Pods.APP).orElseThrow();
        assertThat(app.driver().orElseThrow().getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(app.executors().get(1L).state()).isEqualTo(ExecutorState.FAILED);
    }

    @Test
    void executorStatesFollowSpark() {
        assertThat(ExecutorPod.of(Pods.executor(1, "Running", 0), 1).state()).isEqualTo(ExecutorState.SUCCEEDED);
        assertThat(ExecutorPod.of(Pods.executor(1, "Running", 3), 1).state()).isEqualTo(ExecutorState.FAILED);
        assertThat(ExecutorPod.of(Pods.executor(1, "Failed", 3), 1).exitCode()).contains(3);
        Pod terminating = new PodBuilder(Pods.executor(1, "Pending", null)).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build();
        assertThat(ExecutorPod.of(terminating, 1).state()).isEqualTo(ExecutorState.DELETED);
        assertThat(ExecutorPod.of(Pods.executor(1, "Weird", null), 1).state()).isEqualTo(ExecutorState.UNKNOWN);
    }
}
