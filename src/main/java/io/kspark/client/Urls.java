package io.kspark.client;

import java.net.URI;
import java.net.URISyntaxException;

/** API server URLs as kspark shows them to the user. */
public final class Urls {

    private Urls() {
    }

    /** The URL without user and password, if it carries any. */
    public static String withoutUserInfo(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getRawUserInfo() == null ? url
                    : new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (IllegalArgumentException | URISyntaxException e) {
            return "(unparsable URL)";
        }
    }
}
