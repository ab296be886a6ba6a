package io.kspark.submit.s3;

import io.kspark.conf.TcpPorts;
import io.kspark.conf.UserInputException;

import java.net.InetSocketAddress;
import java.util.Optional;

/** The HTTP proxy S3A's {@code proxy.host}/{@code proxy.port} name for a bucket, with S3A's checks and default port. */
public final class S3Proxy {

    private S3Proxy() {
    }

    public static Optional<InetSocketAddress> of(S3Options options) {
        Optional<String> host = options.get("proxy.host");
        Optional<String> port = options.get("proxy.port");
        if (host.isEmpty()) {
            if (port.isPresent()) {
                throw UserInputException.forKey(options.keyOf("proxy.port"), "is set without " + options.keyOf("proxy.host"));
            }
            return Optional.empty();
        }
        if (options.get("proxy.username").isPresent() || options.get("proxy.password").isPresent()) {
            throw UserInputException.forKey(options.keyOf(options.get("proxy.username").isPresent() ? "proxy.username" : "proxy.password"),
                    "kspark's uploads cannot authenticate to a proxy; use one that needs no login, or upload the files yourself");
        }
        if (options.flag("proxy.secured", false)) {
            throw UserInputException.forKey(options.keyOf("proxy.secured"), "kspark's uploads reach a proxy over plain HTTP (CONNECT) only");
        }
        int number = port.map(p -> parsePort(options, p)).orElse(options.flag("connection.ssl.enabled", true) ? 443 : 80);
        return Optional.of(InetSocketAddress.createUnresolved(host.get(), number));
    }

    private static int parsePort(S3Options options, String value) {
        try {
            int number = Integer.parseInt(value);
            if (TcpPorts.isValid(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw UserInputException.forKey(options.keyOf("proxy.port"), "'" + value + "' is not a TCP port (1-" + TcpPorts.MAX + ")");
    }
}
