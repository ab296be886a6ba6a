package io.kspark.submit.s3;

import java.util.Optional;

/**
 * The keys an upload signs with ({@link CredentialChain} finds them). Its {@code toString} shows no secret.
 *
 * @param anonymous S3A's anonymous provider: requests go unsigned
 */
public record S3Credentials(String accessKey, String secretKey, Optional<String> sessionToken, boolean anonymous) {

    public static S3Credentials signed(String accessKey, String secretKey, Optional<String> sessionToken) {
        return new S3Credentials(accessKey, secretKey, sessionToken, false);
    }

    static S3Credentials none() {
        return new S3Credentials("", "", Optional.empty(), true);
    }

    @Override
    public String toString() {
        return anonymous ? "S3Credentials[anonymous]" : "S3Credentials[accessKey=" + accessKey + ", secretKey=*********(redacted)"
                + sessionToken.map(t -> ", sessionToken=*********(redacted)").orElse("") + "]";
    }
}
