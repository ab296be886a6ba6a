package io.kspark.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.apps.Apps;
import io.kspark.apps.SubmissionId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kspark logs ID [-f]}: the driver container's log. */
@Command(name = "logs", description = "Print the driver log of an application; -f follows it until the driver ends.")
public class LogsCommand implements Callable<Integer>, TalksToApiServer {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-f", "--follow"}, description = "Follow the log.")
    boolean follow;

    @Parameters(paramLabel = "SUBMISSION_ID", description = "namespace:driver-pod or driver-pod.")
    String submissionId;

    @Override
    public Integer call() {
        SubmissionId id = SubmissionId.parse(submissionId);
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = cluster.client(id.namespace())) {
            new Apps(client).logs(id, follow, new WriterStream(out));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Routes the log bytes through picocli's writer so tests and redirection see them. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter out;

        WriterStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int off, int len) {
            out.write(new String(bytes, off, len, StandardCharsets.UTF_8));
            out.flush();
        }
    }

    @Override
    public Optional<String> apiServerTried() {
        return cluster.serverTried();
    }
}
