package io.kspark.submit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileUploaderTest {

    @Test
    void aFileWithABlankInItsNameIsUploadedUnderThatName(@TempDir Path dir) throws Exception {
        Path local = Files.writeString(dir.resolve("my file.txt"), "data");
        Path target = dir.resolve("up").resolve("spark-upload-1").resolve("my file.txt");
        new FileUploader(null).upload(new UploadPlan(List.of(new UploadPlan.Upload("spark.files", local.toString(), "file://" + target))));
        assertThat(target).hasContent("data");
    }

    @Test
    void targetsNameLocalFilesAsSparkWritesThem() {
        assertThat(FileUploader.localPath("file:///up/a b.jar")).isEqualTo(Path.of("/up/a b.jar"));
        assertThat(FileUploader.localPath("file:/up/a.jar")).isEqualTo(Path.of("/up/a.jar"));
        assertThat(FileUploader.localPath("/up/a.jar")).isEqualTo(Path.of("/up/a.jar"));
    }
}
