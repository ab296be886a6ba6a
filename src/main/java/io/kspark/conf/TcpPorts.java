package io.kspark.conf;

/** The one rule for a port a TCP socket, a URL or a Kubernetes object can name. */
public final class TcpPorts {

    public static final int MAX = 65535;

    private TcpPorts() {
    }

    public static boolean isValid(int port) {
        return port >= 1 && port <= MAX;
    }
}
