package io.kspark.conf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertiesFilesTest {

    @TempDir
    Path dir;

    @Test
    void loadsSparkStyleWithValuesTrimmed() throws Exception {
        Path file = dir.resolve("spark.conf");
        Files.writeString(file, "spark.app.name   pi  \nspark.master=k8s://https://h:6443\n# comment\n");
        assertThat(PropertiesFiles.load("--properties-file", file.toString()))
                .isEqualTo(Map.of("spark.app.name", "pi", "spark.master", "k8s://https://h:6443"));
    }

    @Test
    void aBadUnicodeEscapeNamesTheOptionAndTheFile() throws Exception {
        Path file = dir.resolve("escape.conf");
        Files.writeString(file, "spark.app.name \\u12\n");
        assertThatThrownBy(() -> PropertiesFiles.load("--properties-file", file.toString()))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--properties-file: cannot read " + file + ": malformed \\uXXXX escape");
    }

    @Test
    void aBinaryFileIsNotUtf8Text() throws Exception {
        Path file = dir.resolve("binary.conf");
        Files.write(file, new byte[] {'a', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        assertThatThrownBy(() -> PropertiesFiles.load("--properties-file", file.toString()))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--properties-file: cannot read " + file + ": not UTF-8 text");
    }

    @Test
    void aMissingFileSaysSo() {
        String file = dir.resolve("absent.conf").toString();
        assertThatThrownBy(() -> PropertiesFiles.load("--properties-file", file))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--properties-file: properties file " + file + " does not exist or is not a file");
    }

    @Test
    void storedTextReadsBackUnchanged() {
        Map<String, String> values = Map.of("spark.kubernetes.driver.label.a", "b c", "spark.x", "\u00e9=:#");
        String text = PropertiesFiles.store("kspark", values);
        assertThat(PropertiesFiles.parse(text)).isEqualTo(values);
        assertThat(text.getBytes(StandardCharsets.ISO_8859_1)).hasSize(text.length());
    }
}
