package io.kspark.reconciler.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kspark.k8s.ExecutorProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutorProfilesTest {

    @Test
    void readsThePluginsDescriptionIgnoringFieldsItDoesNotKnow() {
        Pod driver = driver("{\"1\":{\"cores\":{\"amount\":4},\"gpu\":{\"amount\":2,\"vendor\":\"nvidia.com\",\"discoveryScript\":\"/x.sh\"}},"
                + "\"3\":{\"memory\":{\"amount\":8192}}}");

        assertThat(ExecutorProfiles.of(driver, 1)).contains(new ExecutorProfile(1, Map.of(
                "cores", new ExecutorProfile.Request(4, ""), "gpu", new ExecutorProfile.Request(2, "nvidia.com"))));
        assertThat(ExecutorProfiles.of(driver, 3)).contains(new ExecutorProfile(3, Map.of("memory", new ExecutorProfile.Request(8192, ""))));
        assertThat(ExecutorProfiles.of(driver, 2)).as("not published").isEmpty();
        assertThat(ExecutorProfiles.of(driver, 0)).contains(ExecutorProfile.DEFAULT);
    }

    @Test
    void withoutTheAnnotationOnlyTheDefaultProfileIsKnown() {
        Pod driver = new PodBuilder().withNewMetadata().withName("d").endMetadata().build();
        assertThat(ExecutorProfiles.of(driver, 0)).contains(ExecutorProfile.DEFAULT);
        assertThat(ExecutorProfiles.of(driver, 1)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1]", "{\"one\":{}}", "{\"1\":5}", "{\"1\":{\"gpu\":{}}}", "{\"1\":{\"gpu\":{\"amount\":\"2\"}}}",
            "{\"1\":{\"gpu\":{\"amount\":1.5}}}", "{\"1\":{\"gpu\":{\"amount\":-1}}}"})
    void anUnreadableAnnotationIsAnErrorNamingIt(String value) {
        assertThatThrownBy(() -> ExecutorProfiles.of(driver(value), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("driver pod annotation kspark.io/resource-profiles ");
    }

    private static Pod driver(String profiles) {
        return new PodBuilder().withNewMetadata().withName("d").addToAnnotations(KsparkMetadata.RESOURCE_PROFILES, profiles).endMetadata().build();
    }
}
