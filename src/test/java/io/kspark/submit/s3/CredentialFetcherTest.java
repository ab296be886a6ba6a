package io.kspark.submit.s3;

import com.sun.net.httpserver.HttpServer;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialFetcherTest {

    /** A fake STS and container endpoint: answers from {@link #status}, records what it was sent. */
    HttpServer server;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sts", exchange -> {
            received.add(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            byte[] body = (status == 200
                    ? "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><SessionToken>STS-TOKEN</SessionToken>"
                      + "<SecretAccessKey>STS-SK</SecretAccessKey><Expiration>2026-12-03T13:00:00Z</Expiration><AccessKeyId>STS-AK</AccessKeyId>"
                      + "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
                    : "<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>"
                      + "</Error></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/container", exchange -> {
            received.add("authorization=" + exchange.getRequestHeaders().getFirst("authorization"));
            byte[] body = "{\"AccessKeyId\":\"C-AK\",\"SecretAccessKey\":\"C-SK\",\"Token\":\"C-TOKEN\",\"Expiration\":\"2026-12-03T13:00:00Z\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI at(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    CredentialFetcher fetcher() {
        return new CredentialFetcher(HttpClient.newHttpClient(), LocalEnvironment.of(Map.of()));
    }

    S3Credentials fetch(CredentialSource source) throws IOException {
        return fetcher().fetch(source, "data");
    }

    @Test
    void anInstanceProfileIsReadThroughAnImdsV2Session() throws IOException {
        server.createContext("/imds/latest/api/token", exchange -> {
            received.add(exchange.getRequestMethod() + " token ttl=" + exchange.getRequestHeaders().getFirst("x-aws-ec2-metadata-token-ttl-seconds"));
            byte[] body = "SESSION".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/imds/latest/meta-data/iam/security-credentials/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            received.add("GET " + path.substring(path.lastIndexOf('/') + 1) + " session=" + exchange.getRequestHeaders().getFirst("x-aws-ec2-metadata-token"));
            byte[] body = (path.endsWith("/") ? "ci-runner-role\n"
                    : "{\"Code\":\"Success\",\"AccessKeyId\":\"I-AK\",\"SecretAccessKey\":\"I-SK\",\"Token\":\"I-TOKEN\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        assertThat(fetch(new CredentialSource.InstanceMetadata(at("/imds")))).isEqualTo(S3Credentials.signed("I-AK", "I-SK", Optional.of("I-TOKEN")));
        assertThat(received).containsExactly("PUT token ttl=21600", "GET  session=SESSION", "GET ci-runner-role session=SESSION");
    }

    @Test
    void anInstanceMetadataServiceThatDoesNotAnswerMeansNoCredentials() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> fetch(new CredentialSource.InstanceMetadata(URI.create("http://127.0.0.1:" + closedPort))))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("spark.hadoop.fs.s3a.access.key: no S3 credentials to upload to bucket data")
                .hasMessageEndingWith("the EC2 instance metadata service at http://127.0.0.1:" + closedPort + ", asked last, did not answer");
    }

    @Test
    void aWebIdentityIsExchangedAtStsWithTheTokenInTheBody() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "eyJ.projected.token\n");
        S3Credentials keys = fetch(new CredentialSource.WebIdentity("arn:aws:iam::1:role/r", token.toString(), "kspark-1", at("/sts")));

        assertThat(keys).isEqualTo(S3Credentials.signed("STS-AK", "STS-SK", Optional.of("STS-TOKEN")));
        assertThat(received).singleElement().asString().contains("Action=AssumeRoleWithWebIdentity").contains("RoleArn=arn:aws:iam::1:role/r")
                .contains("RoleSessionName=kspark-1").contains("WebIdentityToken=eyJ.projected.token").doesNotContain("\n");
    }

    @Test
    void aRefusalByStsSaysWhichRoleAndWhy() throws IOException {
        status = 403;
        Path token = Files.writeString(dir.resolve("token"), "t");
        assertThatThrownBy(() -> fetch(new CredentialSource.WebIdentity("arn:aws:iam::1:role/r", token.toString(), "s", at("/sts"))))
                .isInstanceOf(IOException.class)
                .hasMessage("STS at " + at("/sts") + " refused role arn:aws:iam::1:role/r: HTTP 403 AccessDenied: Not authorized to perform"
                        + " sts:AssumeRoleWithWebIdentity");
    }

    @Test
    void containerCredentialsAreAskedForWithTheAuthorizationTokenFromItsFile() throws IOException {
        Path token = Files.writeString(dir.resolve("pod-identity-token"), "pod-token\n");
        S3Credentials keys = fetch(new CredentialSource.Container(at("/container"), Optional.of(token.toString()), Optional.empty()));
        assertThat(keys).isEqualTo(S3Credentials.signed("C-AK", "C-SK", Optional.of("C-TOKEN")));
        assertThat(received).containsExactly("authorization=pod-token");
    }

    @Test
    void aMissingTokenFileNamesItsVariable() {
        assertThatThrownBy(() -> fetch(new CredentialSource.WebIdentity("arn:aws:iam::1:role/r", dir.resolve("none").toString(), "s",
                at("/sts")))).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("AWS_WEB_IDENTITY_TOKEN_FILE: cannot read " + dir.resolve("none"));
        assertThat(received).isEmpty();
    }

    @Test
    void keysNeedNoRequest() throws IOException {
        S3Credentials given = S3Credentials.signed("AK", "SK", Optional.empty());
        assertThat(fetch(new CredentialSource.Keys(given))).isSameAs(given);
        assertThat(received).isEmpty();
    }
}
