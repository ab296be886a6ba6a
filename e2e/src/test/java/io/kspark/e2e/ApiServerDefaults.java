package io.kspark.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The CRUD mock with one default of a real API server that Spark relies on: a new pod's {@code status.phase} is
 * {@code Pending}. (The mock stores pods without a status, and Spark's executor snapshot code reads the phase of every
 * pod it watches.)
 */
final class ApiServerDefaults extends KubernetesCrudDispatcher {

    private static final Pattern POD_COLLECTION = Pattern.compile("/api/v1/namespaces/[^/]+/pods(\\?.*)?");

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (!POD_COLLECTION.matcher(request.getPath()).matches()) {
            return super.handleCreate(request);
        }
        Pod pod = Serialization.unmarshal(request.getUtf8Body(), Pod.class);
        if (pod.getStatus() == null) {
            pod.setStatus(new PodStatus());
        }
        if (pod.getStatus().getPhase() == null) {
            pod.getStatus().setPhase("Pending");
        }
        byte[] body = Serialization.asJson(pod).getBytes(StandardCharsets.UTF_8);
        return super.handleCreate(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
                new Buffer(body)));
    }
}
