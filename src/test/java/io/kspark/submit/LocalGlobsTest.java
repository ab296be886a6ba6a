package io.kspark.submit;

import io.kspark.conf.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalGlobsTest {

    @TempDir
    Path dir;

    Path file(String name) throws Exception {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, name);
    }

    @Test
    void aLocalPatternBecomesTheFilesItMatchesInPathOrder() throws Exception {
        Path b = file("b.jar");
        Path a = file("a.jar");
        file("notes.txt");
        Files.createDirectories(dir.resolve("c.jar")); // a directory is no jar
        List<String> warnings = new ArrayList<>();
        assertThat(LocalGlobs.expand("spark.jars", "local:///opt/x.jar, " + dir + "/*.jar,https://repo/y.jar", warnings))
                .isEqualTo("local:///opt/x.jar," + a.toFile().toURI() + "," + b.toFile().toURI() + ",https://repo/y.jar");
        assertThat(LocalGlobs.expand("spark.files", "file:" + dir + "/?.jar", warnings)).isEqualTo(a.toFile().toURI() + "," + b.toFile().toURI());
        assertThat(warnings).isEmpty();
    }

    @Test
    void directoriesAndPatternsWithoutMatchesAreLeftOutWithAWarning() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Path kept = file("kept.txt");
        List<String> warnings = new ArrayList<>();
        assertThat(LocalGlobs.expand("spark.files", dir + "/conf," + dir + "/*.csv," + kept, warnings)).isEqualTo(kept.toString());
        assertThat(warnings).containsExactly("spark.files: " + dir + "/conf is a directory, left out (spark-submit ships files only)",
                "spark.files: " + dir + "/*.csv matches no file, left out");
    }

    @Test
    void aPatternGivenAsAnOptionIsMatchedAfterItsUriEscapesAreUndone() throws Exception {
        Path a = file("my dir/a.jar");
        Path b = file("my dir/b.jar");
        // What --jars "my dir/?.jar" becomes once resolved to a URI, as spark-submit resolves options.
        String resolved = dir.resolve("my dir").resolve("?.jar").toFile().toURI().toString();
        assertThat(resolved).contains("%20").contains("%3F");
        assertThat(LocalGlobs.expand("spark.jars", resolved, new ArrayList<>())).isEqualTo(a.toFile().toURI() + "," + b.toFile().toURI());
    }

    @Test
    void linkedDirectoriesAreFollowed() throws Exception {
        file("release-1/app.jar");
        Files.createSymbolicLink(dir.resolve("current"), dir.resolve("release-1"));
        assertThat(LocalGlobs.expand("spark.jars", dir + "/current/*.jar", new ArrayList<>()))
                .isEqualTo(dir.resolve("current").resolve("app.jar").toFile().toURI().toString());
        assertThat(LocalGlobs.expand("spark.jars", dir + "/*/app.jar", new ArrayList<>()).split(",")).hasSize(2);
    }

    @Test
    void aRenamedPatternMustMatchOneFile() throws Exception {
        Path only = file("data/only.zip");
        file("two/a.zip");
        file("two/b.zip");
        assertThat(LocalGlobs.expand("spark.archives", dir + "/data/*.zip#env", new ArrayList<>())).isEqualTo(only.toFile().toURI() + "#env");
        assertThatThrownBy(() -> LocalGlobs.expand("spark.archives", dir + "/two/*.zip#env", new ArrayList<>()))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("spark.archives: " + dir + "/two/*.zip resolves ambiguously");
    }
}
