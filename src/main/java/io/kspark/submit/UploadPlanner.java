package io.kspark.submit;

import io.kspark.conf.CoreKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.SparkValues;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.IdGenerator;
import io.kspark.k8s.MainResource;
import io.kspark.submit.s3.S3Uri;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which local files (no scheme or {@code file:}) a submission uploads and rewrites the conf
 * to point at the uploaded copies, as Spark's driver steps do: uploaded entries first, then the
 * remote ones, each upload in its own {@code spark-upload-<uuid>} directory.
 */
public final class UploadPlanner {

    private final IdGenerator ids;

    public UploadPlanner(IdGenerator ids) {
        this.ids = ids;
    }

    /** The planned uploads and the submission pointing at their targets. */
    public record Result(PreparedSubmission submission, UploadPlan plan) {
    }

    public Result plan(PreparedSubmission submission) {
        SparkConf conf = submission.conf();
        List<UploadPlan.Upload> uploads = new ArrayList<>();
        for (String key : List.of(CoreKeys.JARS.key(), CoreKeys.FILES.key(), CoreKeys.ARCHIVES.key(), CoreKeys.PY_FILES.key())) {
            List<String> local = new ArrayList<>();
            List<String> remote = new ArrayList<>();
            for (String uri : SparkValues.list(conf.get(key, ""))) {
                (Uris.isLocalFile(uri) ? local : remote).add(uri);
            }
            if (local.isEmpty()) {
                continue;
            }
            List<String> resolved = new ArrayList<>();
            for (String uri : local) {
                URI parsed = URI.create(Uris.resolve(uri));
                String target = uploadTarget(conf, key, parsed.getPath(), uploads);
                resolved.add(key.equals(CoreKeys.ARCHIVES.key()) ? archiveUri(target, parsed.getFragment()) : target);
            }
            resolved.addAll(remote);
            conf = conf.set(key, String.join(",", resolved));
        }
        MainResource resource = submission.mainResource();
        if (resource instanceof MainResource.Python && Uris.isLocalFile(resource.uri())) {
            String path = URI.create(Uris.resolve(resource.uri())).getPath();
            resource = resource.withUri(uploadTarget(conf, "primary resource", path, uploads));
        }
        return new Result(submission.withConf(conf, resource), new UploadPlan(uploads));
    }

    /**
     * Spark rebuilds an uploaded archive's URI with its fragment (the unpack directory) through a URI builder, which
     * writes an empty authority away: {@code file:///up/a.tgz} becomes {@code file:/up/a.tgz#a}.
     */
    static String archiveUri(String target, String fragment) {
        try {
            URI uri = new URI(target);
            return new URI(uri.getScheme(), uri.getAuthority(), uri.getPath(), uri.getQuery(), fragment).toString();
        } catch (URISyntaxException e) {
            return fragment == null ? target : target + "#" + fragment;
        }
    }

    private String uploadTarget(SparkConf conf, String key, String localPath, List<UploadPlan.Upload> uploads) {
        String uploadPath = conf.getOptional(KubernetesKeys.FILE_UPLOAD_PATH).orElseThrow(() -> UserInputException.forKey(
                KubernetesKeys.FILE_UPLOAD_PATH.key(), "must be set to upload the local file " + localPath + " named in " + key
                        + " (or refer to it with local:// inside the image, or a remote URI)"));
        checkUploadPath(uploadPath);
        if (!Files.isRegularFile(Path.of(localPath))) {
            throw UserInputException.forKey(key, "local file " + localPath + " does not exist");
        }
        String target = uploadPath + "/spark-upload-" + ids.uuid() + "/" + Path.of(localPath).getFileName();
        uploads.add(new UploadPlan.Upload(key, localPath, target));
        return target;
    }

    /** kspark writes uploads itself, so only the file systems it has a writer for are possible. */
    static void checkUploadPath(String uploadPath) {
        String scheme;
        try {
            scheme = new URI(uploadPath).getScheme();
        } catch (URISyntaxException e) {
            throw UserInputException.forKey(KubernetesKeys.FILE_UPLOAD_PATH.key(), "'" + uploadPath + "' is not a valid path or URI");
        }
        if (scheme != null && scheme.equals(S3Uri.SCHEME)) {
            S3Uri.parse(uploadPath); // it must name a bucket
        } else if (scheme != null && !scheme.equals("file")) {
            throw UserInputException.forKey(KubernetesKeys.FILE_UPLOAD_PATH.key(), "kspark can upload to file: paths (for example a"
                    + " shared volume mounted on this machine) and s3a:// buckets, not " + scheme + ":; copy the files to " + scheme
                    + " yourself and pass their remote URIs");
        }
    }
}
