package io.kspark.cli;

import picocli.CommandLine;

/** Assembles kspark's command line with its shared error handling. */
public final class KsparkCli {

    private KsparkCli() {
    }

    public static CommandLine create(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(KsparkCommand.class, factory);
        CommandErrors errors = new CommandErrors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // spark-submit: the first positional is the primary resource, everything after it belongs to the app.
        cli.getSubcommands().get("submit").setStopAtPositional(true);
        return cli;
    }
}
