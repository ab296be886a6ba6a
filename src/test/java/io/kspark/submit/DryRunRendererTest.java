package io.kspark.submit;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kspark.conf.Redaction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunRendererTest {

    @Test
    void secretDataIsMasked() {
        var secret = DryRunRenderer.redacted(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToData("oauth-token", "dG9rZW4=").addToStringData("k", "plain").build());
        assertThat(secret).isInstanceOf(io.fabric8.kubernetes.api.model.Secret.class);
        var s = (io.fabric8.kubernetes.api.model.Secret) secret;
        assertThat(s.getData()).containsEntry("oauth-token", "<redacted>");
        assertThat(s.getStringData()).containsEntry("k", "<redacted>");
    }

    @Test
    void secretLookingPropertiesAndEnvAreMasked() {
        var configMap = (io.fabric8.kubernetes.api.model.ConfigMap) DryRunRenderer.redacted(new ConfigMapBuilder()
                .withNewMetadata().withName("c").endMetadata()
                .addToData("spark.properties", "#c\nspark.hadoop.fs.s3a.secret.key=abc123\nspark.app.name=x\nspark.my.password\\:x=p\n")
                .build());
        String text = configMap.getData().get("spark.properties");
        assertThat(text).doesNotContain("abc123").contains("spark.hadoop.fs.s3a.secret.key=" + Redaction.REDACTED)
                .contains("spark.app.name=x").doesNotContain("=p\n");
        var pod = (io.fabric8.kubernetes.api.model.Pod) DryRunRenderer.redacted(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").addNewEnv().withName("AWS_SECRET_ACCESS_KEY").withValue("s3cr3t").endEnv()
                .addNewEnv().withName("MODE").withValue("prod").endEnv().endContainer().endSpec().build());
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getValue())
                .containsExactly(Redaction.REDACTED, "prod");
    }
}
