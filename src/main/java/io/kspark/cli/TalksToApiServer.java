package io.kspark.cli;

import java.util.Optional;

/** A command that calls an API server, and can say which one, so that "cannot reach" errors name it. */
interface TalksToApiServer {

    /** The API server URL of the client the command built, or empty before it built one. */
    Optional<String> apiServerTried();
}
