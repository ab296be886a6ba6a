package io.kspark.submit.s3;

import io.kspark.conf.UserInputException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code x-amz-*} headers S3A would send when it writes an object: server-side encryption, canned ACL, storage
 * class and requester-pays. Values may hold an SSE-C key, so they are never logged.
 */
public final class S3ObjectHeaders {

    /** Hadoop's {@code AWSCannedACL} names and the header values they stand for. */
    private static final Map<String, String> CANNED_ACLS = Map.of("Private", "private", "PublicRead", "public-read",
            "PublicReadWrite", "public-read-write", "AuthenticatedRead", "authenticated-read", "AwsExecRead", "aws-exec-read",
            "BucketOwnerRead", "bucket-owner-read", "BucketOwnerFullControl", "bucket-owner-full-control",
            "LogDeliveryWrite", "log-delivery-write");

    private S3ObjectHeaders() {
    }

    public static Map<String, String> of(S3Options options) {
        Map<String, String> headers = new TreeMap<>();
        encryption(options, headers);
        options.get("acl.default").ifPresent(acl -> headers.put("x-amz-acl", Optional.ofNullable(CANNED_ACLS.get(acl))
                .orElseThrow(() -> UserInputException.forKey(options.keyOf("acl.default"), "'" + acl
                        + "' is not one of S3A's canned ACLs " + String.join(", ", new TreeMap<>(CANNED_ACLS).keySet())))));
        options.get("create.storage.class").ifPresent(c -> headers.put("x-amz-storage-class", c.toUpperCase(Locale.ROOT)));
        if (options.flag("requester.pays.enabled", false)) {
            headers.put("x-amz-request-payer", "requester");
        }
        return headers;
    }

    private static void encryption(S3Options options, Map<String, String> headers) {
        String algorithmOption = current(options, "encryption.algorithm", "server-side-encryption-algorithm");
        String keyOption = current(options, "encryption.key", "server-side-encryption.key");
        Optional<String> key = options.get(keyOption);
        String algorithm = options.get(algorithmOption).orElse("").toUpperCase(Locale.ROOT);
        switch (algorithm) {
            case "", "NONE" -> {
            }
            case "SSE-S3", "AES256" -> headers.put("x-amz-server-side-encryption", "AES256");
            case "SSE-KMS", "DSSE-KMS" -> {
                headers.put("x-amz-server-side-encryption", algorithm.equals("SSE-KMS") ? "aws:kms" : "aws:kms:dsse");
                key.ifPresent(id -> headers.put("x-amz-server-side-encryption-aws-kms-key-id", id));
            }
            case "SSE-C" -> {
                String customerKey = key.orElseThrow(() -> UserInputException.forKey(options.keyOf(keyOption),
                        "SSE-C needs the base64 encoded key"));
                headers.put("x-amz-server-side-encryption-customer-algorithm", "AES256");
                headers.put("x-amz-server-side-encryption-customer-key", customerKey);
                headers.put("x-amz-server-side-encryption-customer-key-md5", md5(options.keyOf(keyOption), customerKey));
            }
            default -> throw UserInputException.forKey(options.keyOf(algorithmOption), "kspark uploads with SSE-S3, SSE-KMS, DSSE-KMS or SSE-C"
                    + " only, not '" + algorithm + "'; upload the files yourself and pass their s3a:// URIs");
        }
    }

    /** Hadoop reads an option's deprecated name only when the current one is unset. */
    private static String current(S3Options options, String option, String deprecated) {
        return options.get(option).isEmpty() && options.get(deprecated).isPresent() ? deprecated : option;
    }

    private static String md5(String key, String base64Key) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64Key);
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(raw));
        } catch (IllegalArgumentException e) {
            throw UserInputException.forKey(key, "is not base64 encoded");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
