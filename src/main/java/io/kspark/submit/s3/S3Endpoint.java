package io.kspark.submit.s3;

import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a bucket's objects are written and the region requests are signed for, from S3A's {@code endpoint},
 * {@code endpoint.region}, {@code path.style.access} and {@code connection.ssl.enabled}.
 *
 * @param base       scheme, host and port, no path
 * @param awsDefault no endpoint was configured, so a region S3 names in a redirect may be followed
 */
public record S3Endpoint(URI base, String region, boolean pathStyle, boolean awsDefault) {

    private static final Pattern AWS_HOST = Pattern.compile("(?:.*\\.)?s3[.-]([a-z0-9-]+)(?:\\.vpce)?\\.amazonaws\\.com(?:\\.cn)?");
    private static final String FALLBACK_REGION = "us-east-1";

    public static S3Endpoint resolve(S3Options options, LocalEnvironment env) {
        boolean pathStyle = options.flag("path.style.access", false);
        Optional<String> configuredRegion = options.get("endpoint.region").or(() -> env.getenvSet("AWS_REGION"));
        Optional<String> endpoint = options.get("endpoint");
        if (endpoint.isEmpty()) {
            String region = configuredRegion.orElse(FALLBACK_REGION);
            return new S3Endpoint(awsEndpoint(region), region, pathStyle, configuredRegion.isEmpty());
        }
        URI base = parse(options, endpoint.get());
        String region = configuredRegion.orElseGet(() -> regionOf(base.getHost()).orElse(FALLBACK_REGION));
        return new S3Endpoint(base, region, pathStyle, false);
    }

    /** The same endpoint for another region: only the AWS default is rewritten. */
    public S3Endpoint inRegion(String otherRegion) {
        return awsDefault ? new S3Endpoint(awsEndpoint(otherRegion), otherRegion, pathStyle, true) : this;
    }

    /** The URI of one object, its key already encoded for the request line and the signature. */
    public URI objectUri(String bucket, String encodedKey) {
        String authority = base.getRawAuthority();
        return pathStyle
                ? URI.create(base.getScheme() + "://" + authority + "/" + bucket + "/" + encodedKey)
                : URI.create(base.getScheme() + "://" + bucket + "." + authority + "/" + encodedKey);
    }

    static URI awsEndpoint(String region) {
        return URI.create("https://s3." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : ""));
    }

    static Optional<String> regionOf(String host) {
        Matcher m = AWS_HOST.matcher(host.toLowerCase(Locale.ROOT));
        return m.matches() && !m.group(1).equals("external-1") ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static URI parse(S3Options options, String endpoint) {
        String withScheme = endpoint.contains("://") ? endpoint
                : (options.flag("connection.ssl.enabled", true) ? "https://" : "http://") + endpoint;
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new URISyntaxException(endpoint, "not an http(s) endpoint");
            }
            boolean defaultPort = uri.getPort() == (scheme.equals("https") ? 443 : 80);
            // the HTTP client leaves a default port out of the Host header, so the signature must too
            return new URI(scheme, null, uri.getHost(), defaultPort ? -1 : uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw UserInputException.forKey(options.keyOf("endpoint"), "'" + endpoint + "' is not an S3 endpoint (host[:port] or http(s)://host[:port])");
        }
    }
}
