package io.kspark.submit.s3;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** AWS Signature Version 4 for S3 requests without a query string: pure, so it is checked against AWS's own examples. */
public final class SigV4 {

    public static final String EMPTY_PAYLOAD = sha256Hex(new byte[0]);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SigV4() {
    }

    /**
     * The headers to send: {@code headers} (names in any case, {@code host} included) plus {@code x-amz-date},
     * {@code x-amz-content-sha256}, the session token if any, and {@code authorization}; every header is signed.
     */
    public static SortedMap<String, String> sign(String method, String encodedPath, Map<String, String> headers, String payloadSha256,
            S3Credentials credentials, String region, Instant now) {
        SortedMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        String amzDate = AMZ_DATE.format(now);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadSha256);
        if (credentials.anonymous()) {
            return signed;
        }
        credentials.sessionToken().ifPresent(token -> signed.put("x-amz-security-token", token));
        String scope = amzDate.substring(0, 8) + "/" + region + "/s3/aws4_request";
        String signedNames = String.join(";", signed.keySet());
        String request = canonicalRequest(method, encodedPath, signed, payloadSha256);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(request.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        for (String part : new String[] {region, "s3", "aws4_request"}) {
            key = hmac(key, part);
        }
        String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
        signed.put("authorization", ALGORITHM + " Credential=" + credentials.accessKey() + "/" + scope + ",SignedHeaders=" + signedNames
                + ",Signature=" + signature);
        return signed;
    }

    static String canonicalRequest(String method, String encodedPath, SortedMap<String, String> headers, String payloadSha256) {
        StringBuilder request = new StringBuilder(method).append('\n').append(encodedPath).append("\n\n");
        headers.forEach((name, value) -> request.append(name).append(':').append(value).append('\n'));
        return request.append('\n').append(String.join(";", headers.keySet())).append('\n').append(payloadSha256).toString();
    }

    /** S3's object-key encoding: every byte but the unreserved characters and '/', percent-encoded once. */
    public static String encodePath(String key) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonicalValue(String value) {
        return value.trim().replaceAll(" {2,}", " ");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
