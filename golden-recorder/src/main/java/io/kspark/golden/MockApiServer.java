package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** fabric8's mock API server in CRUD mode (plus server-side apply), plain HTTP on 127.0.0.1. */
final class MockApiServer implements AutoCloseable {

  /** The kinds a submission can create, in the order of driver-objects.json; all v1 core resources. */
  static final List<String> DRIVER_OBJECT_KINDS =
      List.of("pods", "services", "configmaps", "secrets", "persistentvolumeclaims");

  private final ServerSideApplyCrudDispatcher dispatcher = new ServerSideApplyCrudDispatcher();
  private final KubernetesMockServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Keeps the mock web server's per-request INFO logging quiet (a strong reference, or JUL forgets the level). */
  private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  MockApiServer() {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    restartUidSequence();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The CRUD mock gives objects the uids 00000000-0000-0000-0000-000000000001, ...2, ... from a JVM-wide counter
   * (fabric8's {@code Utils.generateId()}); starting it again for each server makes every case's uids the same on
   * every run, as in the shared reference recording, whatever cases ran before in this JVM.
   */
  private static void restartUidSequence() {
    try {
      Field counter = Utils.class.getDeclaredField("leastSigBits");
      counter.setAccessible(true);
      ((AtomicLong) counter.get(null)).set(0);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("warning: cannot restart the mock's uid sequence (uids will differ between runs): " + e);
    }
  }

  /** {@code http://127.0.0.1:<port>} */
  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The {@code --master} value for spark-submit. */
  String sparkMaster() {
    return "k8s://" + url();
  }

  /** Forgets every stored object (and the recorded apply requests). */
  void reset() {
    server.reset();
  }

  ServerSideApplyCrudDispatcher dispatcher() {
    return dispatcher;
  }

  /** GET of an API path, as the raw JSON the server answers. */
  JsonNode get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).GET()
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
            + response.body());
      }
      return GoldenJson.parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Everything stored, all namespaces: {@code {"pods": <v1 List>, "services": ..., "configmaps": ..., "secrets": ...,
   * "persistentvolumeclaims": ...}} with the objects as the server stores them, items sorted by namespace and name.
   */
  ObjectNode dumpDriverObjects() {
    ObjectNode all = GoldenJson.object();
    for (String kind : DRIVER_OBJECT_KINDS) {
      all.set(kind, GoldenJson.sortItemsByNamespaceAndName(get("/api/v1/" + kind)));
    }
    return all;
  }

  @Override
  public void close() {
    server.destroy();
  }
}
