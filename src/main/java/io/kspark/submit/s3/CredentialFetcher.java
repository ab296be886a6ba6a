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

/** Turns a {@link CredentialSource} into keys: STS for a web identity, the container endpoint for container credentials. */
final class CredentialFetcher {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final LocalEnvironment env;

    CredentialFetcher(HttpClient http, LocalEnvironment env) {
        this.http = http;
        this.env = env;
    }

    S3Credentials fetch(CredentialSource source) throws IOException {
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
        HttpResponse<String> response = send(request, "STS at " + web.sts() + " (role " + web.roleArn() + ")");
        String body = response.body();
        if (response.statusCode() != 200) {
            throw new IOException("STS at " + web.sts() + " refused role " + web.roleArn() + ": HTTP " + response.statusCode()
                    + S3Uploader.describe(body));
        }
        return S3Credentials.signed(xml(body, "AccessKeyId"), xml(body, "SecretAccessKey"), Optional.of(xml(body, "SessionToken")));
    }

    private S3Credentials fromContainer(CredentialSource.Container container) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(container.endpoint()).timeout(TIMEOUT).GET();
        Optional<String> authorization = container.authorizationTokenFile().map(file -> read("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file))
                .or(container::authorizationToken);
        authorization.ifPresent(value -> request.header("authorization", value));
        HttpResponse<String> response = send(request.build(), "the container credentials endpoint " + container.endpoint());
        if (response.statusCode() != 200) {
            throw new IOException("the container credentials endpoint " + container.endpoint() + " answered HTTP " + response.statusCode());
        }
        JsonNode keys = JSON.readTree(response.body());
        String access = keys.path("AccessKeyId").asText("");
        String secret = keys.path("SecretAccessKey").asText("");
        if (access.isEmpty() || secret.isEmpty()) {
            throw new IOException("the container credentials endpoint " + container.endpoint() + " gave no AccessKeyId and SecretAccessKey");
        }
        return S3Credentials.signed(access, secret, Optional.of(keys.path("Token").asText("")).filter(t -> !t.isEmpty()));
    }

    private HttpResponse<String> send(HttpRequest request, String what) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking " + what + " for credentials");
        } catch (IOException e) {
            throw new IOException("cannot reach " + what + " for credentials: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
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
