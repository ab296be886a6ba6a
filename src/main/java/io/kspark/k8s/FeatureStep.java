package io.kspark.k8s;

/**
 * One concern of a Spark pod (ports, volumes, secrets, ...). A step is a pure function of its
 * configuration and the pod so far; it never talks to the API server.
 */
public interface FeatureStep {

    /**
     * The name Spark gives the equivalent step, so {@code spark.kubernetes.*.pod.excludedFeatureSteps}
     * written for Spark excludes the same step in kspark.
     */
    String sparkStepName();

    StepResult apply(SparkPod pod);
}
