package io.kspark.cli;

import picocli.CommandLine;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Assembles kspark's command line with its shared error handling. */
public final class KsparkCli {

    /** The subcommands by name, in the order {@code kspark --help} lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            Map.entry("submit", SubmitCommand.class), Map.entry("status", StatusCommand.class), Map.entry("kill", KillCommand.class),
            Map.entry("list", ListCommand.class), Map.entry("logs", LogsCommand.class), Map.entry("controller", ControllerCommand.class),
            Map.entry("sidecar", SidecarCommand.class), Map.entry("expose", ExposeCommand.class));

    private KsparkCli() {
    }

    /** kspark with every subcommand. */
    public static CommandLine create(CommandLine.IFactory factory) {
        return build(factory, SUBCOMMANDS.values());
    }

    /**
     * kspark with only the subcommand {@code args} run, or with all of them when {@code args} name none ({@code --help},
     * a typo): picocli reads every command's options from its annotations up front, and for the seven that do not
     * run that is a tenth of a one-shot command's start-up.
     */
    public static CommandLine forArguments(CommandLine.IFactory factory, String... args) {
        Class<?> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        return named == null ? create(factory) : build(factory, List.of(named));
    }

    private static CommandLine build(CommandLine.IFactory factory, Collection<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(KsparkCommand.class, factory);
        // First: the settings below apply to the subcommands there are when they are set.
        subcommands.forEach(cli::addSubcommand);
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
        CommandLine submit = cli.getSubcommands().get("submit");
        if (submit != null) {
            submit.setStopAtPositional(true);
        }
        return cli;
    }

    @SafeVarargs
    private static Map<String, Class<?>> subcommands(Map.Entry<String, Class<?>>... entries) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> entry : entries) {
            byName.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }
}
