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
            URI target = URI.create(upload.targetUri());
            Path destination = target.getScheme() == null ? Path.of(upload.targetUri()) : Path.of(target);
            Files.createDirectories(destination.getParent());
            Files.copy(Path.of(upload.localPath()), destination, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
