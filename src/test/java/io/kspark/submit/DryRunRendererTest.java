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
                .addToData("oauth-token", "dG9rZW4=").addToStringData("k", "plain").build(), Redaction.DEFAULT);
        assertThat(secret).isInstanceOf(io.fabric8.kubernetes.api.model.Secret.class);
        var s = (io.fabric8.kubernetes.api.model.Secret) secret;
        assertThat(s.getData()).containsEntry("oauth-token", "<redacted>");
        assertThat(s.getStringData()).containsEntry("k", "<redacted>");
    }

    @Test
    void secretLookingPropertiesAndEnvAreMasked() {
        var configMap = (io.fabric8.kubernetes.api.model.ConfigMap) DryRunRenderer.redacted(new ConfigMapBuilder()
                .withNewMetadata().withName("c").endMetadata()
                .addToData("spark.properties", "#c\nspark.hadoop.fs.s3a.secret.key=abc123\nspark.app.name=x\nspark.my.password\\:x=p\n"
                        + "spark.driver.extraJavaOptions=-Dfs.s3a.secret.key\\=v4lue\n")
                .build(), Redaction.DEFAULT);
        String text = configMap.getData().get("spark.properties");
        assertThat(text).doesNotContain("abc123").contains("spark.hadoop.fs.s3a.secret.key=" + Redaction.REDACTED)
                .contains("spark.app.name=x").doesNotContain("=p\n")
                .as("a secret-looking value hides its entry too, as Spark's Utils.redact").doesNotContain("v4lue");
        var pod = (io.fabric8.kubernetes.api.model.Pod) DryRunRenderer.redacted(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").addNewEnv().withName("AWS_SECRET_ACCESS_KEY").withValue("s3cr3t").endEnv()
                .addNewEnv().withName("MODE").withValue("prod").endEnv().endContainer().endSpec().build(), Redaction.DEFAULT);
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getValue())
                .containsExactly(Redaction.REDACTED, "prod");
    }

    @Test
    void listsATemplateLeftNullAreRedactedAndRenderedAsEmpty() {
        // As a pod template reads "initContainers:" with nothing under it, or a container's bare "env:".
        io.fabric8.kubernetes.api.model.Pod template = new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("side").endContainer()
                    .addNewContainer().withName("c").addNewEnv().withName("AWS_SECRET_ACCESS_KEY").withValue("s3cr3t").endEnv().endContainer()
                .endSpec().build();
        template.getSpec().setInitContainers(null);
        template.getSpec().getContainers().get(0).setEnv(null);

        var pod = (io.fabric8.kubernetes.api.model.Pod) DryRunRenderer.redacted(template, Redaction.DEFAULT);

        assertThat(pod.getSpec().getContainers().get(1).getEnv()).extracting(e -> e.getValue()).containsExactly(Redaction.REDACTED);
        String yaml = DryRunRenderer.render(new io.fabric8.kubernetes.api.model.KubernetesListBuilder().addToItems(pod).build(),
                DryRunRenderer.Format.YAML);
        assertThat(yaml).doesNotContain("initContainers").doesNotContain("s3cr3t");
    }

    @Test
    void theApplicationsRedactionRegexIsHonoured() {
        Redaction custom = Redaction.of(io.kspark.conf.SparkConf.of(java.util.Map.of("spark.redaction.regex", "(?i)mycred")));
        assertThat(custom.redact("spark.mycred", "x")).isEqualTo(Redaction.REDACTED);
        assertThat(custom.redact("spark.other", "uses-MYCRED-here")).isEqualTo(Redaction.REDACTED);
        assertThat(custom.redact("spark.secret", "x")).as("the default pattern is replaced, as in Spark").isEqualTo("x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Redaction.of(io.kspark.conf.SparkConf.of(java.util.Map.of(
                "spark.redaction.regex", "(unclosed")))).hasMessageStartingWith("spark.redaction.regex: ");
    }
}
