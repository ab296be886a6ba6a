package io.kspark.submit.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link CredentialSource} into keys: STS for a web identity, the container endpoint for container credentials,
 * the instance metadata service for an EC2 instance profile.
 */
final class CredentialFetcher {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The SDK's instance metadata timeout: off EC2 the address goes nowhere, and waiting longer helps no one. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final LocalEnvironment env;
    private HttpClient metadataHttp;

    CredentialFetcher(HttpClient http, LocalEnvironment env) {
        this.http = http;
        this.env = env;
    }

    /** The keys of {@code source}; {@code bucket} names the upload they are for in a message. */
    S3Credentials fetch(CredentialSource source, String bucket) throws IOException {
        if (source instanceof CredentialSource.InstanceMetadata metadata) {
            return fromInstanceMetadata(metadata, bucket);
        }
        if (source instanceof CredentialSource.WebIdentity web) {
            return assumeRole(web);
        }
        if (source instanceof CredentialSource.Container container) {
            return fromContainer(container);
        }
        return ((CredentialSource.Keys) source).credentials();
    }

    /** AssumeRoleWithWebIdentity needs no signature: the token is the proof. It goes in a form body, not the URL. */
    private S3Credentials assumeRole(CredentialSource.WebIdentity web) throws IOException {
        String token = read("AWS_WEB_IDENTITY_TOKEN_FILE", web.tokenFile());
        String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + encode(web.roleArn())
                + "&RoleSessionName=" + encode(web.sessionName()) + "&WebIdentityToken=" + encode(token);
        HttpRequest request = HttpRequest.newBuilder(web.sts()).timeout(TIMEOUT)
                .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = send(http, request, "STS at " + web.sts() + " (role " + web.roleArn() + ")");
        String body = response.body();
        if (response.statusCode() != 200) {
            throw new IOException("STS at " + web.sts() + " refused role " + web.roleArn() + ": HTTP " + response.statusCode()
                    + S3Uploader.describe(body));
        }
        return S3Credentials.signed(xml(body, "AccessKeyId"), xml(body, "SecretAccessKey"), Optional.of(xml(body, "SessionToken")));
    }

    /**
     * IMDSv2: a session token, the instance profile's role name, then its keys. Asked last in S3A's chain, on any machine,
     * so a service that does not answer within a second means "no credentials here", not an error of its own.
     */
    private S3Credentials fromInstanceMetadata(CredentialSource.InstanceMetadata metadata, String bucket) throws IOException {
        String base = metadata.endpoint().toString();
        HttpResponse<String> token;
        try {
            token = metadataClient().send(HttpRequest.newBuilder(URI.create(base + "/latest/api/token")).timeout(METADATA_TIMEOUT)
                    .header("x-aws-ec2-metadata-token-ttl-seconds", "21600").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking the EC2 instance metadata service for credentials");
        } catch (IOException e) {
            throw CredentialChain.noCredentials(bucket, "the EC2 instance metadata service at " + base + ", asked last, did not answer");
        }
        if (token.statusCode() != 200) {
            throw new IOException("the EC2 instance metadata service at " + base + " refused a session token: HTTP " + token.statusCode());
        }
        String roles = metadataGet(base + "/latest/meta-data/iam/security-credentials/", token.body());
        String role = roles.lines().map(String::trim).filter(r -> !r.isEmpty()).findFirst()
                .orElseThrow(() -> new IOException("the EC2 instance at " + base + " has no instance profile role"));
        JsonNode keys = JSON.readTree(metadataGet(base + "/latest/meta-data/iam/security-credentials/" + role, token.body()));
        return keysOf(keys, "the EC2 instance metadata service at " + base);
    }

    private String metadataGet(String url, String token) throws IOException {
        HttpResponse<String> response = send(metadataClient(), HttpRequest.newBuilder(URI.create(url)).timeout(METADATA_TIMEOUT)
                .header("x-aws-ec2-metadata-token", token).GET().build(), "the EC2 instance metadata service");
        if (response.statusCode() != 200) {
            throw new IOException("the EC2 instance metadata service answered " + url + " with HTTP " + response.statusCode());
        }
        return response.body();
    }

    private synchronized HttpClient metadataClient() {
        if (metadataHttp == null) {
            metadataHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(METADATA_TIMEOUT).build();
        }
        return metadataHttp;
    }

    private static S3Credentials keysOf(JsonNode keys, String from) throws IOException {
        String access = keys.path("AccessKeyId").asText("");
        String secret = keys.path("SecretAccessKey").asText("");
        if (access.isEmpty() || secret.isEmpty()) {
            throw new IOException(from + " gave no AccessKeyId and SecretAccessKey");
        }
        return S3Credentials.signed(access, secret, Optional.of(keys.path("Token").asText("")).filter(t -> !t.isEmpty()));
    }

    private S3Credentials fromContainer(CredentialSource.Container container) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(container.endpoint()).timeout(TIMEOUT).GET();
        Optional<String> authorization = container.authorizationTokenFile().map(file -> read("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file))
                .or(container::authorizationToken);
        authorization.ifPresent(value -> request.header("authorization", value));
        HttpResponse<String> response = send(http, request.build(), "the container credentials endpoint " + container.endpoint());
        if (response.statusCode() != 200) {
            throw new IOException("the container credentials endpoint " + container.endpoint() + " answered HTTP " + response.statusCode());
        }
        return keysOf(JSON.readTree(response.body()), "the container credentials endpoint " + container.endpoint());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request, String what) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking " + what + " for credentials");
        } catch (IOException e) {
            throw new IOException("cannot reach " + what + " for credentials: " + S3Uploader.reason(e), e);
        }
    }

    /** A token file the environment names; a missing one names its variable. */
    private String read(String variable, String file) {
        try {
            return env.readText(file).trim();
        } catch (UserInputException e) {
            throw new UserInputException(variable + ": " + e.getMessage(), e);
        }
    }

    private static String xml(String body, String element) throws IOException {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(body);
        if (!m.find()) {
            throw new IOException("STS answered without " + element);
        }
        return m.group(1).trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
