package io.kspark.reconciler.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.reconciler.Pods;
import io.kspark.reconciler.model.AppSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the writer last read of the driver is used only while it is still this application's driver. */
class NewerDriverTest {

    static Pod version(Pod pod, long version) {
        return new PodBuilder(pod).editMetadata().withResourceVersion(Long.toString(version)).endMetadata().build();
    }

    @Test
    void aNewerReadOfTheSameDriverReplacesTheWatchedOne() {
        AppSnapshot watched = Pods.snapshot(version(Pods.driver("Running", "2"), 10));
        Pod read = version(Pods.driver("Running", "3"), 12);

        assertThat(Reconciler.withNewerDriver(watched, Optional.of(read)).driver()).contains(read);
        assertThat(Reconciler.withNewerDriver(watched, Optional.of(version(read, 9))).driver()).isEqualTo(watched.driver());
    }

    @Test
    void aNewerReadOfThePodRelabelledForAnotherApplicationMeansTheDriverIsGone() {
        AppSnapshot watched = Pods.snapshot(version(Pods.driver("Running", "2"), 10));
        Pod relabelled = new PodBuilder(version(Pods.driver("Running", "1"), 12)).editMetadata()
                .addToLabels("spark-app-selector", "spark-next").endMetadata().build();
        Pod recreated = new PodBuilder(version(Pods.driver("Running", "1"), 12)).editMetadata().withUid("another-uid").endMetadata().build();

        assertThat(Reconciler.withNewerDriver(watched, Optional.of(relabelled)).driver()).isEmpty();
        assertThat(Reconciler.withNewerDriver(watched, Optional.of(recreated)).driver()).isEmpty();
    }
}
