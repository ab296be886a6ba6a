package io.kspark.submit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies planned uploads to their {@code file:} targets. */
public final class FileUploader {

    private FileUploader() {
    }

    public static void upload(UploadPlan plan) throws IOException {
        for (UploadPlan.Upload upload : plan.uploads()) {
            Path destination = localPath(upload.targetUri());
            Files.createDirectories(destination.getParent());
            Files.copy(Path.of(upload.localPath()), destination, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The file a {@code file:} target names. Targets are written as Spark writes them, unencoded (a file named
     * "my file.txt" keeps its blank), so they are not parsed as URIs.
     */
    static Path localPath(String target) {
        if (target.startsWith("file:///")) {
            return Path.of(target.substring("file://".length()));
        }
        if (target.startsWith("file://")) {
            return Path.of(URI.create(target)); // with an authority: only a valid URI can say which
        }
        return Path.of(target.startsWith("file:") ? target.substring("file:".length()) : target);
    }
}
