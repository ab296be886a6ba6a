package io.kspark.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogsWriterStreamTest {

    @Test
    void charactersSplitAcrossReadsArriveWhole() {
        StringWriter text = new StringWriter();
        byte[] log = "é€ – 日本 🚀\n".getBytes(StandardCharsets.UTF_8);
        try (LogsCommand.WriterStream stream = new LogsCommand.WriterStream(new PrintWriter(text))) {
            // One byte at a time through both write methods: every multi-byte character is cut somewhere.
            for (int i = 0; i < log.length; i++) {
                if (i % 2 == 0) {
                    stream.write(log[i]);
                } else {
                    stream.write(log, i, 1);
                }
            }
        }
        assertThat(text.toString()).isEqualTo("é€ – 日本 🚀\n");
    }

    @Test
    void aLogCutInsideACharacterEndsWithOneReplacement() {
        StringWriter text = new StringWriter();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        try (LogsCommand.WriterStream stream = new LogsCommand.WriterStream(new PrintWriter(text))) {
            stream.write("ok ".getBytes(StandardCharsets.UTF_8), 0, 3);
            stream.write(euro, 0, 2);
        }
        assertThat(text.toString()).isEqualTo("ok \uFFFD");
    }
}
