package io.kspark.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.cli.KsparkSubmissionCustomizer;
import io.kspark.client.CoreApi;
import io.kspark.k8s.IdGenerator;
import io.kspark.k8s.LocalEnvironment;
import io.kspark.submit.SubmissionPlan;
import io.kspark.submit.SubmissionPlanner;
import io.kspark.submit.SubmitArguments;
import io.kspark.submit.Submitter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Submits SparkPi-like apps the way {@code kspark submit} does, without the CLI. */
public final class Submissions {

    private Submissions() {
    }

    public static Pod submit(KubernetesClient client, String masterUrl, String namespace, String name, String mode, int executors,
                             String... conf) {
        List<String> confs = new ArrayList<>(List.of("spark.kubernetes.container.image=apache/spark:4.1.1",
                "spark.kubernetes.namespace=" + namespace, "spark.kspark.reconciler=" + mode, "spark.kubernetes.allocation.batch.delay=200ms",
                "spark.kubernetes.submission.waitAppCompletion=false"));
        confs.addAll(List.of(conf));
        SubmitArguments args = new SubmitArguments("k8s://" + masterUrl, "cluster", name, "org.apache.spark.examples.SparkPi", confs, null,
                false, null, null, null, null, null, null, null, null, null, null, null, Integer.toString(executors), null, null, null, null, null,
                null, null, false, "local:///opt/spark/examples/jars/spark-examples.jar", List.of());
        Clock clock = Clock.systemUTC();
        SubmissionPlan plan = new SubmissionPlanner(LocalEnvironment.of(Map.of("SPARK_USER", "root")), IdGenerator.random(clock), clock,
                new KsparkSubmissionCustomizer()).plan(args);
        return client.getKubernetesSerialization().convertValue(new Submitter(CoreApi.of(client)).create(plan.objects()), Pod.class);
    }
}
