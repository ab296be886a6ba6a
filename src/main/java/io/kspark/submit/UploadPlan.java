package io.kspark.submit;

import java.util.List;

/**
 * Local files a submission must copy to {@code spark.kubernetes.file.upload.path} before the driver
 * starts, already reflected in the rewritten conf.
 */
public record UploadPlan(List<Upload> uploads) {

    /** One local file and the URI it must be copied to. */
    public record Upload(String key, String localPath, String targetUri) {
    }

    public UploadPlan {
        uploads = List.copyOf(uploads);
    }

    public static UploadPlan none() {
        return new UploadPlan(List.of());
    }

    public boolean isEmpty() {
        return uploads.isEmpty();
    }
}
