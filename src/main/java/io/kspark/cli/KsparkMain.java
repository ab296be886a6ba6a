package io.kspark.cli;

import io.kspark.conf.UserInputException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.OptionalInt;
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
        // Bad arguments and --help are answered before the runtime starts and opens its port.
        OptionalInt answered = answerWithoutRuntime(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        if (answered.isPresent()) {
            System.exit(answered.getAsInt());
        }
        System.setProperty("quarkus.http.host-enabled", "true");
        System.setProperty("quarkus.log.level", System.getProperty("quarkus.log.level", "INFO"));
        Quarkus.run(KsparkMain.class, args);
    }

    /** The exit code when the arguments alone settle the command (a usage error, --help, --version); empty to run it. */
    static OptionalInt answerWithoutRuntime(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = KsparkCli.forArguments(new OneShotFactory(), args);
        cli.setOut(out);
        cli.setErr(err);
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return OptionalInt.of(ExitCodes.OK);
            }
            if (parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof ChecksArguments command) {
                command.checkArguments();
            }
            return OptionalInt.empty();
        } catch (UserInputException e) {
            err.println("kspark: error: " + CommandErrors.oneLine(e));
            err.flush();
            return OptionalInt.of(ExitCodes.USAGE);
        } catch (CommandLine.ParameterException e) {
            try {
                return OptionalInt.of(cli.getParameterExceptionHandler().handleParseException(e, args));
            } catch (Exception unexpected) {
                return OptionalInt.empty(); // let the runtime's own run report it
            }
        }
    }

    static boolean isServerCommand(String... args) {
        return args.length > 0 && SERVER_COMMANDS.contains(args[0]);
    }

    @Override
    public int run(String... args) {
        return KsparkCli.forArguments(factory, args).execute(args);
    }
}
