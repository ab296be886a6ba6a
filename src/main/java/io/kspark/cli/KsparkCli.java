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
        // spark-submit reads no argument files: an application argument "@x" stays "@x", and no local file is read.
        cli.setExpandAtFiles(false);
        // spark-submit: a repeated option overrides the earlier one (wrappers add defaults, users override them).
        cli.setOverwrittenOptionsAllowed(true);
        // An option's value is the next argument, whatever it looks like (--driver-java-options -verbose:gc).
        cli.setAllowOptionsAsOptionParameters(true);
        // spark-submit: the first positional is the primary resource, everything after it belongs to the app.
        cli.getSubcommands().get("submit").setStopAtPositional(true);
        return cli;
    }
}
