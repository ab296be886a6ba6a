package io.kspark.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.util.Set;

/**
 * Entry point. One-shot commands (submit, status, ...) must not open an HTTP port, so the HTTP
 * listener is only switched on for the long-running commands before Quarkus starts.
 */
@QuarkusMain
public class KsparkMain implements QuarkusApplication {

    static final Set<String> SERVER_COMMANDS = Set.of("controller", "sidecar");

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        if (isServerCommand(args)) {
            System.setProperty("quarkus.http.host-enabled", "true");
            System.setProperty("quarkus.log.level", System.getProperty("quarkus.log.level", "INFO"));
        }
        Quarkus.run(KsparkMain.class, args);
    }

    static boolean isServerCommand(String... args) {
        return args.length > 0 && SERVER_COMMANDS.contains(args[0]);
    }

    @Override
    public int run(String... args) {
        return KsparkCli.create(factory).execute(args);
    }
}
