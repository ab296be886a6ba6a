package io.kspark.testing;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The fabric8 CRUD mock API server behind a dispatcher that can inject faults: canned error
 * responses, watches that end with 410 Gone, and watches that drop after opening. Records every
 * request (method, path, status) for request-count assertions.
 */
public final class FaultyApiServer implements AutoCloseable {

    /** One recorded request. */
    public record Request(String method, String path, int status, String body) {
        public boolean isWatch() {
            return path.contains("watch=true");
        }
    }

    private record Fault(Predicate<RecordedRequest> matches, AtomicInteger remaining, Supplier<MockResponse> response) {
    }

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private record Delay(Predicate<RecordedRequest> matches, AtomicInteger remaining, long millis, AtomicInteger arrived) {
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Delay> delays = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();
    private final KubernetesMockServer server;

    public FaultyApiServer() {
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
                for (Delay delay : delays) {
                    if (delay.matches().test(request) && delay.remaining().getAndDecrement() > 0) {
                        delay.arrived().incrementAndGet();
                        sleep(delay.millis());
                    }
                }
                MockResponse response = null;
                for (Fault fault : faults) {
                    if (fault.matches().test(request) && fault.remaining().getAndDecrement() > 0) {
                        response = fault.response().get();
                        break;
                    }
                }
                if (response == null) {
                    response = staleVersionConflict(request);
                }
                if (response == null) {
                    response = crud.dispatch(request);
                }
                requests.add(new Request(request.getMethod(), request.getPath(), response.code(),
                        request.getMethod().equals("GET") ? "" : body));
                return response;
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
    }

    /** A client configured as kspark's reconciler client (KubernetesClients.reconcilerSettings): kspark retries and re-watches itself. */
    public NamespacedKubernetesClient client() {
        return server.createClient(builder -> builder.editOrNewConfig().withRequestRetryBackoffLimit(0).withWatchReconnectLimit(0).endConfig());
    }

    public String masterUrl() {
        return server.url("/").replaceAll("/$", "");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The next {@code times} requests matching get an error status with a Kubernetes Status body. */
    public void fail(String method, String pathPart, int times, int code) {
        faults.add(new Fault(r -> r.getMethod().equals(method) && r.getPath().contains(pathPart) && !r.getPath().contains("watch=true"),
                new AtomicInteger(times), () -> new MockResponse().setResponseCode(code).setBody(status(code, "injected fault"))));
    }

    /**
     * The next {@code times} requests matching (watches excluded) are answered only after {@code millis}.
     *
     * @return how many of them have arrived so far (and are being held)
     */
    public AtomicInteger delay(String method, String pathPart, int times, long millis) {
        AtomicInteger arrived = new AtomicInteger();
        delays.add(new Delay(r -> r.getMethod().equals(method) && r.getPath().contains(pathPart) && !r.getPath().contains("watch=true"),
                new AtomicInteger(times), millis, arrived));
        return arrived;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next {@code times} watches matching open and then report 410 Gone (an expired resource version). */
    public void expireWatches(String pathPart, int times) {
        faults.add(new Fault(r -> r.getPath().contains("watch=true") && r.getPath().contains(pathPart), new AtomicInteger(times),
                () -> new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, io.fabric8.mockwebserver.http.Response response) {
                        webSocket.send("{\"type\":\"ERROR\",\"object\":" + status(410, "too old resource version") + "}");
                        closer.schedule(() -> webSocket.close(1000, "expired"), 50, TimeUnit.MILLISECONDS);
                    }
                })));
    }

    /** The next {@code times} watches matching open, deliver nothing and drop after {@code millis}. */
    public void dropWatches(String pathPart, int times, long millis) {
        faults.add(new Fault(r -> r.getPath().contains("watch=true") && r.getPath().contains(pathPart), new AtomicInteger(times),
                () -> new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, io.fabric8.mockwebserver.http.Response response) {
                        closer.schedule(() -> webSocket.close(1001, "dropped"), millis, TimeUnit.MILLISECONDS);
                    }
                })));
    }

    public void clearFaults() {
        faults.clear();
        delays.clear();
    }

    /**
     * A real API server refuses a patch or update whose metadata.resourceVersion is not the object's current one, and
     * a delete whose preconditions name another resourceVersion (optimistic concurrency); the CRUD mock does not, so
     * this does it.
     */
    private MockResponse staleVersionConflict(RecordedRequest request) {
        if (!List.of("PATCH", "PUT", "DELETE").contains(request.getMethod())) {
            return null;
        }
        // Read without consuming: the CRUD dispatcher still needs the body.
        String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher wanted = java.util.regex.Pattern.compile("\"resourceVersion\"\\s*:\\s*\"(\\d+)\"").matcher(body == null ? "" : body);
        if (!wanted.find()) {
            return null;
        }
        String path = request.getPath().replaceAll("\\?.*$", "").replaceAll("/status$", "");
        MockResponse current = crud.handleGet(path);
        java.util.regex.Matcher actual = java.util.regex.Pattern.compile("\"resourceVersion\"\\s*:\\s*\"(\\d+)\"")
                .matcher(current.getBody() == null ? "" : new String(current.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        if (current.code() == 200 && actual.find() && !actual.group(1).equals(wanted.group(1))) {
            return new MockResponse().setResponseCode(409).setBody(status(409, "the object has been modified"));
        }
        return null;
    }

    private static String status(int code, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message
                + "\",\"reason\":\"" + (code == 410 ? "Expired" : "InternalError") + "\",\"code\":" + code + "}";
    }

    @Override
    public void close() {
        closer.shutdownNow();
        server.destroy();
    }
}
