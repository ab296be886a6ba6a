package io.kspark.submit.s3;

import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.UserInputException;

/**
 * A bucket and object key named by an {@code s3a://bucket/key} URI. Upload targets are written unencoded, as Spark writes
 * them (a blank stays a blank), so they are split by hand rather than parsed as {@link java.net.URI}s; runs of slashes
 * collapse, as Hadoop's {@code Path} collapses them.
 */
public record S3Uri(String bucket, String key) {

    public static final String SCHEME = "s3a";
    private static final String PREFIX = SCHEME + "://";

    public static boolean isS3a(String uri) {
        return uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    public static S3Uri parse(String uri) {
        if (!isS3a(uri)) {
            throw new IllegalArgumentException("not an s3a URI: " + uri);
        }
        String rest = uri.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw UserInputException.forKey(KubernetesKeys.FILE_UPLOAD_PATH.key(), "'" + uri + "' names no bucket (write s3a://BUCKET/path)");
        }
        String key = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/{2,}", "/").replaceFirst("^/", "");
        return new S3Uri(bucket, key);
    }
}
