package io.kspark.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kspark.k8s.KubernetesJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates and deletes namespaced core ({@code v1}) objects with plain JSON requests through fabric8's HTTP client, which
 * brings the authentication, headers and retries the client config sets up. A one-shot submission needs nothing more,
 * and skips what a {@code KubernetesClient} costs it at start-up: a handler registered for every kind the client knows,
 * and answers read into typed models. Failures are the client's own {@link KubernetesClientException}s, with the
 * server's {@code Status} when it sent one.
 */
public final class CoreApi implements AutoCloseable {

    private final HttpClient http;
    private final boolean ownsHttp;
    private final String apiRoot;
    private final int requestTimeoutMillis;

    private CoreApi(HttpClient http, boolean ownsHttp, Config config) {
        this.http = http;
        this.ownsHttp = ownsHttp;
        String master = config.getMasterUrl();
        this.apiRoot = (master.endsWith("/") ? master : master + "/") + "api/v1/namespaces/";
        Integer timeout = config.getRequestTimeout();
        this.requestTimeoutMillis = timeout == null ? 0 : timeout;
    }

    /** A client of its own for {@code config} (JDK HTTP client), closed with this. */
    public static CoreApi connect(Config config) {
        return new CoreApi(new JdkHttpClientFactory().newBuilder(config).build(), true, config);
    }

    /** Through an existing client's HTTP client, which stays open. */
    public static CoreApi of(KubernetesClient client) {
        return new CoreApi(client.getHttpClient(), false, client.getConfiguration());
    }

    /** {@code POST}s {@code json} to the collection; returns the object as the API server stored it. */
    public JsonNode create(String namespace, String plural, String json) {
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(collection(namespace, plural)).post("application/json", json);
        return KubernetesJson.SERIALIZATION.unmarshal(send(request), JsonNode.class);
    }

    /** Deletes one object (in the background, as kubectl does); one that is already gone counts as deleted. */
    public void delete(String namespace, String plural, String name) {
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(collection(namespace, plural) + "/" + encode(name))
                .delete("application/json", "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}");
        try {
            send(request);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private String collection(String namespace, String plural) {
        return apiRoot + encode(namespace) + "/" + plural;
    }

    private String send(HttpRequest.Builder request) {
        if (requestTimeoutMillis > 0) {
            request.timeout(requestTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request.build(), String.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof KubernetesClientException kce ? kce : new KubernetesClientException(cause.getMessage(), cause);
        }
        if (!response.isSuccessful()) {
            throw new KubernetesClientException(status(response));
        }
        return response.body();
    }

    /** The server's Status, or one made from the code and body when it sent none. */
    private static Status status(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        try {
            Status status = KubernetesJson.SERIALIZATION.unmarshal(body, Status.class);
            if (status != null && status.getCode() != null) {
                return status;
            }
        } catch (RuntimeException notAStatus) {
            // a proxy's HTML page, say: the code and the text say enough
        }
        return new StatusBuilder().withCode(response.code()).withMessage(body.isBlank() ? response.message() : body.strip()).build();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }
}
