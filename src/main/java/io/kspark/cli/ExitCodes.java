package io.kspark.cli;

/** kspark's exit codes, the same for every command. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The application failed, or the application named does not exist. */
    public static final int APP_FAILED = 1;
    /** Bad arguments or configuration; nothing was created. */
    public static final int USAGE = 2;
    /** The Kubernetes API server refused or could not be reached; nothing was left behind. */
    public static final int API_ERROR = 3;
    /** The user pressed Ctrl-C; the application keeps running. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
