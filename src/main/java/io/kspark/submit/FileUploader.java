package io.kspark.submit;

import io.kspark.submit.s3.S3Uploader;
import io.kspark.submit.s3.S3Uri;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes planned uploads to their targets: {@code file:} paths by copying, {@code s3a://} ones through S3. */
public final class FileUploader {

    private final S3Uploader s3;

    public FileUploader(S3Uploader s3) {
        this.s3 = s3;
    }

    /** Reads every setting the uploads need, without writing anything: a dry run reports a bad one as a real run would. */
    public void check(UploadPlan plan) {
        plan.uploads().stream().map(UploadPlan.Upload::targetUri).filter(S3Uri::isS3a).forEach(s3::check);
    }

    public void upload(UploadPlan plan) throws IOException {
        for (UploadPlan.Upload upload : plan.uploads()) {
            Path source = Path.of(upload.localPath());
            if (S3Uri.isS3a(upload.targetUri())) {
                s3.put(upload.targetUri(), source);
                continue;
            }
            Path destination = localPath(upload.targetUri());
            Files.createDirectories(destination.getParent());
            Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
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
