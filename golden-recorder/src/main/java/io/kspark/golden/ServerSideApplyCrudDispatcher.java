package io.kspark.golden;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's CRUD dispatcher plus server-side apply. Spark 4.1 creates its Service and ConfigMaps with
 * {@code PATCH ... Content-Type: application/apply-patch+yaml?fieldManager=...&force=true}; a real API server creates
 * the object when it is missing and otherwise makes the applied configuration the new state of the fields the
 * manager owns. The CRUD dispatcher answers such a PATCH with 404 (missing) or 415 (unknown patch type).
 *
 * <p>Here an apply of a missing object is handled as a create (POST semantics: uid, creationTimestamp,
 * resourceVersion, generation assigned) and an apply of an existing object as a replace (PUT semantics: the
 * applied object becomes the new state, uid and creationTimestamp kept, resourceVersion bumped). With one field
 * manager and {@code force=true} that is what a real API server stores, except that this mock keeps no
 * {@code metadata.managedFields}.
 *
 * <p>Also records the server-side-apply paths it served (so a run can check Spark used apply) and when every request
 * arrived (so a benchmark can tell start-up time from API time).
 */
final class ServerSideApplyCrudDispatcher extends KubernetesCrudDispatcher {

  static final String APPLY_PATCH_SUBTYPE = "apply-patch+yaml";

  private final Set<String> applyRequests = ConcurrentHashMap.newKeySet();
  private final List<ServedRequest> served = new CopyOnWriteArrayList<>();

  /** A request as it arrived: {@link System#nanoTime()}, method, path. */
  record ServedRequest(long nanoTime, String method, String path) {
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    served.add(new ServedRequest(System.nanoTime(), request.getMethod(), request.getPath()));
    return super.dispatch(request);
  }

  /** Every request since the last reset, in arrival order. */
  List<ServedRequest> servedRequests() {
    return List.copyOf(served);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.contains(APPLY_PATCH_SUBTYPE)) {
      return super.handlePatch(request);
    }
    synchronized (this) {
      applyRequests.add(request.getPath());
      String json = asJson(request.getUtf8Body());
      if (json == null) {
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_BAD_REQUEST)
            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"apply patch body is not a Kubernetes object\",\"code\":400}");
      }
      String objectPath = stripQuery(request.getPath());
      boolean exists = super.handleGet(objectPath).code() == HttpURLConnection.HTTP_OK;
      RecordedRequest rewritten = new RecordedRequest("HTTP/1.1",
          exists ? HttpMethod.PUT : HttpMethod.POST,
          objectPath,
          jsonHeaders(request),
          new Buffer().writeUtf8(json));
      MockResponse response = exists ? super.handleUpdate(rewritten) : super.handleCreate(rewritten);
      return response;
    }
  }

  /** The paths of the server-side-apply PATCH requests served so far. */
  Set<String> applyRequests() {
    return Set.copyOf(applyRequests);
  }

  @Override
  public void reset() {
    super.reset();
    applyRequests.clear();
    served.clear();
  }

  /** The apply body (JSON, or YAML as the content type allows) as a JSON object, or null if it is none. */
  private static String asJson(String body) {
    try {
      GenericKubernetesResource resource = Serialization.unmarshal(body, GenericKubernetesResource.class);
      return resource == null ? null : Serialization.asJson(resource);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static Headers jsonHeaders(RecordedRequest request) {
    Headers.Builder builder = Headers.builder();
    for (Map.Entry<String, List<String>> header : request.getHeaders().toMultimap().entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Type") || header.getKey().equalsIgnoreCase("Content-Length")) {
        continue;
      }
      header.getValue().forEach(value -> builder.add(header.getKey(), value));
    }
    return builder.add("Content-Type", "application/json").build();
  }
}
