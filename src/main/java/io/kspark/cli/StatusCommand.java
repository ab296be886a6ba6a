package io.kspark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kspark status ID}: the driver's state, like spark-submit --status. */
@Command(name = "status", description = "Show the status of an application by submission id (namespace:driver-pod, or a prefix ending in *).")
public class StatusCommand implements Callable<Integer>, TalksToApiServer {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "SUBMISSION_ID", description = "namespace:driver-pod, driver-pod, or a prefix ending in '*'.")
    String submissionId;

    @Override
    public Integer call() {
        return AppCommands.status(cluster, submissionId, spec.commandLine().getOut());
    }

    @Override
    public Optional<String> apiServerTried() {
        return cluster.serverTried();
    }
}
