package io.kspark.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.util.Set;

/**
 * Entry point. Only the long-running commands (controller, sidecar) start the Quarkus runtime, with
 * the HTTP listener switched on; one-shot commands run without it (see {@link OneShotLauncher}), so
 * they open no port, start nothing in the background and start fast.
 */
@QuarkusMain
public class KsparkMain implements QuarkusApplication {

    static final Set<String> SERVER_COMMANDS = Set.of("controller", "sidecar");

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        if (!isServerCommand(args)) {
            System.exit(OneShotLauncher.run(args));
        }
        System.setProperty("quarkus.http.host-enabled", "true");
        System.setProperty("quarkus.log.level", System.getProperty("quarkus.log.level", "INFO"));
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
