package io.kspark.client;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesApiExceptionTest {

    static KubernetesClientException refused() {
        return new KubernetesClientException("Operation: [list] for kind: [Pod] failed.", new IOException(null, new ConnectException()));
    }

    @Test
    void anUnreachableServerIsNamedWithoutItsCredentials() {
        KubernetesApiException failure = new KubernetesApiException("cannot list pods", refused());
        assertThat(failure.unreachable()).isTrue();
        assertThat(failure.getMessage()).isEqualTo("cannot list pods: cannot reach the API server (ConnectException: connection refused)");
        assertThat(failure.naming("https://admin:s3cret@10.0.0.1:6443/").getMessage())
                .isEqualTo("cannot list pods: cannot reach the API server https://10.0.0.1:6443/ (ConnectException: connection refused)");
    }

    @Test
    void aTimeoutInsideAContextIsNamedToo() {
        KubernetesApiException inner = new KubernetesApiException("cannot watch driver pod default/p",
                new KubernetesClientException("An error has occurred.", new HttpTimeoutException("request timed out")));
        KubernetesApiException outer = new KubernetesApiException("application default:p was submitted", inner);
        assertThat(outer.naming("https://10.0.0.1:6443/").getMessage()).isEqualTo("application default:p was submitted: "
                + "cannot watch driver pod default/p: the API server https://10.0.0.1:6443/ did not answer in time (request timed out)");
    }

    @Test
    void aServerThatAnsweredIsNotRenamed() {
        KubernetesApiException forbidden = new KubernetesApiException("cannot create driver pod default/p",
                new KubernetesClientException("Failure executing: POST", 403, null));
        assertThat(forbidden.unreachable()).isFalse();
        assertThat(forbidden.code()).isEqualTo(403);
        assertThat(forbidden.naming("https://10.0.0.1:6443/")).isSameAs(forbidden);
        assertThat(forbidden.getMessage()).isEqualTo("cannot create driver pod default/p: HTTP 403 Forbidden (Failure executing: POST)");
    }
}
