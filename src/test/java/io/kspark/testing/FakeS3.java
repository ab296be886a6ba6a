package io.kspark.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kspark.submit.s3.S3Credentials;
import io.kspark.submit.s3.SigV4;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path-style S3 endpoint on localhost that accepts PUTs signed with one key pair. It checks each signature against
 * the headers it actually received (the Host the client wrote included), so a request signed for other headers fails
 * with 403 as S3 would answer it. Scripted statuses can be queued before the first stored request.
 */
public final class FakeS3 implements AutoCloseable {

    /** One received PUT: its path (as sent, still encoded), lower-case headers and body. */
    public record Put(String rawPath, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/s3/aws4_request,SignedHeaders=([^,]+),Signature=([0-9a-f]{64})");

    private final HttpServer server;
    private final String accessKey;
    private final String secretKey;
    private final List<Put> stored = new CopyOnWriteArrayList<>();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private final Deque<Integer> scripted = new ArrayDeque<>();

    public FakeS3(String accessKey, String secretKey) throws IOException {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests get these statuses (with an S3 error body) instead of being stored. */
    public synchronized FakeS3 failNext(int... statuses) {
        for (int status : statuses) {
            scripted.add(status);
        }
        return this;
    }

    public List<Put> stored() {
        return List.copyOf(stored);
    }

    /** Every request's method and path, in arrival order, failed ones included. */
    public List<String> attempts() {
        return List.copyOf(attempts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String rawPath = exchange.getRequestURI().getRawPath();
        attempts.add(exchange.getRequestMethod() + " " + rawPath);
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        Integer status;
        synchronized (this) {
            status = scripted.poll();
        }
        if (status != null) {
            reply(exchange, status, "Scripted", "scripted failure");
        } else if (!exchange.getRequestMethod().equals("PUT")) {
            reply(exchange, 405, "MethodNotAllowed", "only PUT is faked");
        } else if (!signatureMatches(rawPath, headers)) {
            reply(exchange, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
        } else if (!SigV4.sha256Hex(body).equals(headers.get("x-amz-content-sha256"))) {
            reply(exchange, 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        } else {
            stored.add(new Put(rawPath, headers, body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }
    }

    private boolean signatureMatches(String rawPath, Map<String, String> headers) {
        Matcher auth = AUTHORIZATION.matcher(Optional.ofNullable(headers.get("authorization")).orElse(""));
        if (!auth.matches() || !auth.group(1).equals(accessKey)) {
            return false;
        }
        Map<String, String> signedHeaders = new TreeMap<>();
        for (String name : auth.group(4).split(";")) {
            if (!name.equals("x-amz-date") && !name.equals("x-amz-content-sha256") && !name.equals("x-amz-security-token")) {
                signedHeaders.put(name, Optional.ofNullable(headers.get(name)).orElse(""));
            }
        }
        Instant date = LocalDateTime.parse(headers.get("x-amz-date"), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")).toInstant(ZoneOffset.UTC);
        S3Credentials credentials = S3Credentials.signed(accessKey, secretKey, Optional.ofNullable(headers.get("x-amz-security-token")));
        String expected = SigV4.sign("PUT", rawPath, signedHeaders, headers.get("x-amz-content-sha256"), credentials, auth.group(3), date)
                .get("authorization");
        return headers.get("authorization").equals(expected);
    }

    private static void reply(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><StringToSign>secret-looking detail</StringToSign></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, xml.length);
        exchange.getResponseBody().write(xml);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
