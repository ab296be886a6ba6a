package io.kspark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kspark kill ID}: deletes the driver pod(s), like spark-submit --kill. */
@Command(name = "kill", description = {"Kill an application by deleting its driver pod; Kubernetes removes what the driver owns.",
        "Honours spark.kubernetes.appKillPodDeletionGracePeriod (seconds) given with --conf."})
public class KillCommand implements Callable<Integer>, TalksToApiServer {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "SUBMISSION_ID", description = "namespace:driver-pod, driver-pod, or a prefix ending in '*'.")
    String submissionId;

    @Override
    public Integer call() {
        return AppCommands.kill(cluster, submissionId, spec.commandLine().getOut());
    }

    @Override
    public Optional<String> apiServerTried() {
        return cluster.serverTried();
    }
}
