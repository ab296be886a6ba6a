package io.kspark.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoreApiTest {

    private static final String CONFIG_MAP = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"conf\"},\"data\":{\"a\":\"b\"}}";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private CoreApi api;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        api = CoreApi.of(client);
    }

    @AfterEach
    void stop() {
        api.close();
        client.close();
        server.destroy();
    }

    @Test
    void createsAndAnswersWithTheStoredObject() {
        JsonNode stored = api.create("spark", "configmaps", CONFIG_MAP);

        assertThat(stored.path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(stored.path("metadata").path("namespace").asText()).isEqualTo("spark");
        assertThat(client.configMaps().inNamespace("spark").withName("conf").get().getData()).containsEntry("a", "b");
    }

    @Test
    void deletesAndTakesAMissingObjectForDeleted() {
        api.create("spark", "configmaps", CONFIG_MAP);

        api.delete("spark", "configmaps", "conf");
        api.delete("spark", "configmaps", "conf");

        assertThat(client.configMaps().inNamespace("spark").withName("conf").get()).isNull();
    }

    @Test
    void anErrorCarriesTheServersStatusOrItsText() {
        api.create("spark", "configmaps", CONFIG_MAP);
        assertThatThrownBy(() -> api.create("spark", "configmaps", CONFIG_MAP)).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(409));

        KubernetesMockServer expectations = new KubernetesMockServer(false);
        expectations.init();
        try (KubernetesClient other = expectations.createClient(); CoreApi otherApi = CoreApi.of(other)) {
            expectations.expect().post().withPath("/api/v1/namespaces/spark/pods").andReturn(403, "denied by policy\n").once();
            assertThatThrownBy(() -> otherApi.create("spark", "pods", "{}")).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getStatus().getMessage()).isEqualTo("denied by policy");
            });
        } finally {
            expectations.destroy();
        }
    }
}
