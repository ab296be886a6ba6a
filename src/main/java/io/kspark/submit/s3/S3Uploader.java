package io.kspark.submit.s3;

import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes local files to S3 as single signed PUTs, the way S3A would for a submission's uploads: same options, same
 * object keys. Retries what S3 asks to be retried (5xx, 429, a dropped connection) and follows a bucket that lives in
 * another region than the default endpoint guessed.
 */
public final class S3Uploader {

    /** S3's limit for one PUT; larger files would need a multipart upload. */
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
    private static final int ATTEMPTS = 4;
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private final SparkConf conf;
    private final LocalEnvironment env;
    private final Clock clock;
    private final Duration firstBackoff;
    private final Map<String, S3Options> optionsByBucket = new HashMap<>();
    private final Map<String, S3Endpoint> endpoints = new HashMap<>();
    private final Map<String, S3Credentials> credentialsByBucket = new HashMap<>();
    private final Map<Optional<InetSocketAddress>, HttpClient> clients = new HashMap<>();

    public S3Uploader(SparkConf conf, LocalEnvironment env, Clock clock, Duration firstBackoff) {
        this.conf = conf;
        this.env = env;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
    }

    /** Reads every option an upload to {@code target} needs, the credentials' provider names but not their values; throws on a bad one. */
    public void check(String target) {
        S3Options options = options(S3Uri.parse(target).bucket());
        S3Endpoint.resolve(options, env);
        S3ObjectHeaders.of(options);
        S3Proxy.of(options);
        CredentialChain.checkProviderNames(options);
    }

    public void put(String target, Path file) throws IOException {
        S3Uri uri = S3Uri.parse(target);
        S3Options options = options(uri.bucket());
        S3Endpoint endpoint = endpoints.computeIfAbsent(uri.bucket(), b -> S3Endpoint.resolve(options, env));
        Map<String, String> objectHeaders = S3ObjectHeaders.of(options);
        HttpClient http = client(S3Proxy.of(options));
        CredentialSource credentialSource = CredentialChain.resolve(options, env, clock);
        long size = Files.size(file);
        if (size > MAX_SINGLE_PUT) {
            throw new UserInputException(file + " is " + size + " bytes; kspark uploads files of up to 5 GiB to S3 (upload it yourself"
                    + " and pass its s3a:// URI)");
        }
        S3Credentials credentials = credentials(uri.bucket(), credentialSource);
        String payloadHash = sha256Hex(file);
        String encodedKey = SigV4.encodePath(uri.key());
        boolean regionFollowed = false;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = send(http, endpoint, uri.bucket(), encodedKey, objectHeaders, payloadHash, credentials, file);
            } catch (IOException e) {
                if (attempt < ATTEMPTS && !Thread.currentThread().isInterrupted()) {
                    backOff(attempt);
                    continue;
                }
                throw new IOException("uploading " + file + " to " + target + " failed: " + reason(e), e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return;
            }
            Optional<String> bucketRegion = response.headers().firstValue("x-amz-bucket-region");
            if (!regionFollowed && bucketRegion.isPresent() && !bucketRegion.get().equals(endpoint.region())
                    && endpoint.inRegion(bucketRegion.get()) != endpoint) {
                endpoint = endpoint.inRegion(bucketRegion.get());
                endpoints.put(uri.bucket(), endpoint);
                regionFollowed = true;
                attempt--;
                continue;
            }
            if (RETRIED.contains(status) && attempt < ATTEMPTS) {
                backOff(attempt);
                continue;
            }
            throw new IOException("uploading " + file + " to " + target + " failed: HTTP " + status + describe(response.body()));
        }
    }

    private HttpResponse<String> send(HttpClient http, S3Endpoint endpoint, String bucket, String encodedKey, Map<String, String> objectHeaders,
            String payloadHash, S3Credentials credentials, Path file) throws IOException {
        URI objectUri = endpoint.objectUri(bucket, encodedKey);
        Map<String, String> headers = new TreeMap<>(objectHeaders);
        headers.put("host", objectUri.getRawAuthority());
        headers.put("content-type", "application/octet-stream");
        HttpRequest.Builder request = HttpRequest.newBuilder(objectUri).PUT(HttpRequest.BodyPublishers.ofFile(file));
        SigV4.sign("PUT", objectUri.getRawPath(), headers, payloadHash, credentials, endpoint.region(), clock.instant())
                .forEach((name, value) -> {
                    if (!name.equals("host")) { // the client writes Host itself, from the URI it was signed with
                        request.header(name, value);
                    }
                });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + file);
        }
    }

    /** Read once per bucket: each read parses HADOOP_CONF_DIR's core-site.xml. */
    private S3Options options(String bucket) {
        return optionsByBucket.computeIfAbsent(bucket, b -> S3Options.of(conf, env, b));
    }

    /** Fetched keys are kept for the rest of the submission: its uploads take minutes, the keys last an hour. */
    private S3Credentials credentials(String bucket, CredentialSource source) throws IOException {
        S3Credentials known = credentialsByBucket.get(bucket);
        if (known == null) {
            // STS and the container endpoint are not reached through the bucket's proxy (the SDK's providers have their own clients)
            known = new CredentialFetcher(client(Optional.empty()), env).fetch(source, bucket);
            credentialsByBucket.put(bucket, known);
        }
        return known;
    }

    /** One client per proxy, made on first use: a submission without S3 uploads starts no HTTP client. */
    private synchronized HttpClient client(Optional<InetSocketAddress> proxy) {
        return clients.computeIfAbsent(proxy, p -> {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30))
                    .followRedirects(HttpClient.Redirect.NEVER);
            p.ifPresent(address -> builder.proxy(ProxySelector.of(address)));
            return builder.build();
        });
    }

    private void backOff(int attempt) throws IOException {
        try {
            Thread.sleep(firstBackoff.toMillis() << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry an upload");
        }
    }

    /** What went wrong, also for the JDK client's connect failures, which carry no message. */
    static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** S3's error code and message, never the rest of the body (it may echo the string that was signed). */
    static String describe(String body) {
        Matcher code = ERROR_CODE.matcher(body);
        Matcher message = ERROR_MESSAGE.matcher(body);
        return (code.find() ? " " + code.group(1) : "") + (message.find() ? ": " + message.group(1) : "");
    }

    private static String sha256Hex(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
