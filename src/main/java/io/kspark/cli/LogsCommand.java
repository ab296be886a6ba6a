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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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

    @Parameters(paramLabel = "SUBMISSION_ID", description = "namespace:driver-pod, driver-pod, or a prefix ending in '*' that matches one driver.")
    String submissionId;

    @Override
    public Integer call() {
        SubmissionId id = SubmissionId.parse(submissionId);
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = cluster.client(id.namespace()); WriterStream log = new WriterStream(out)) {
            new Apps(client).logs(id, follow, log);
            return ExitCodes.OK;
        }
    }

    /**
     * Routes the log bytes through picocli's writer so tests and redirection see them. One decoder for the whole log:
     * a character whose bytes arrive in two reads is decoded whole.
     */
    static final class WriterStream extends OutputStream {
        private final PrintWriter out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        /** The start of a character whose remaining bytes have not arrived yet. */
        private ByteBuffer pending = ByteBuffer.allocate(0);

        WriterStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len).put(pending).put(bytes, off, len).flip();
            decode(in, false);
            pending = in.slice();
        }

        /** Writes what is left: an incomplete last character becomes the replacement character. */
        @Override
        public synchronized void close() {
            decode(pending, true);
            CharBuffer tail = CharBuffer.allocate(4);
            decoder.flush(tail);
            out.write(tail.flip().toString());
            out.flush();
        }

        private void decode(ByteBuffer in, boolean endOfInput) {
            // UTF-8 never decodes to more chars than it has bytes (plus one replacement for a cut-off tail).
            CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, chars, endOfInput);
            out.write(chars.flip().toString());
            out.flush();
        }
    }

    @Override
    public Optional<String> apiServerTried() {
        return cluster.serverTried();
    }
}
