package io.kspark.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.apps.AppNotFoundException;
import io.kspark.apps.Apps;
import io.kspark.apps.PodDescription;
import io.kspark.apps.SubmissionId;
import io.kspark.conf.KubernetesKeys;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** status and kill, shared by their commands and by spark-submit's --status/--kill form. */
final class AppCommands {

    private AppCommands() {
    }

    static int status(ClusterOptions cluster, String submissionId, PrintWriter out) {
        SubmissionId id = SubmissionId.parse(submissionId);
        try (KubernetesClient client = cluster.client(id.namespace())) {
            List<Pod> drivers = new Apps(client).drivers(id);
            if (drivers.isEmpty()) {
                throw new AppNotFoundException(id.isGlob() ? "No applications found." : "Application not found.");
            }
            for (Pod driver : drivers) {
                out.println("Application status (driver): " + PodDescription.describe(driver, new Apps(client).executors(driver)));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static int kill(ClusterOptions cluster, String submissionId, PrintWriter out) {
        SubmissionId id = SubmissionId.parse(submissionId);
        Optional<Long> grace = cluster.sparkConf().getOptional(KubernetesKeys.APP_KILL_GRACE_PERIOD);
        try (KubernetesClient client = cluster.client(id.namespace())) {
            out.println("Submitting a request to kill submission " + submissionId + " in " + cluster.masterTried().orElse("the cluster")
                    + ". Grace period in secs: " + grace.map(String::valueOf).orElse("not set."));
            // Each name before its delete goes out, as Spark prints them: if one fails, the user knows which went.
            List<String> killed = new Apps(client).kill(id, grace, name -> {
                out.println("Deleting driver pod: " + name + ".");
                out.flush();
            });
            if (killed.isEmpty()) {
                throw new AppNotFoundException(id.isGlob() ? "No applications found." : "Application not found.");
            }
            return ExitCodes.OK;
        }
    }

    static int legacyAction(CommandSpec spec, ClusterOptions cluster, String kill, String status, boolean dryRun) {
        PrintWriter out = spec.commandLine().getOut();
        if (kill != null && status != null) {
            throw new io.kspark.conf.UserInputException("--kill: cannot be combined with --status");
        }
        if (dryRun) {
            // --dry-run promises no API call; a kill that ran anyway would delete a live driver.
            throw new io.kspark.conf.UserInputException("--dry-run: applies to submissions only, not to " + (kill != null ? "--kill" : "--status"));
        }
        return kill != null ? kill(cluster, kill, out) : status(cluster, status, out);
    }
}
