package io.kspark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kspark} command; it only groups the subcommands, which {@link KsparkCli} adds. */
@Command(name = "kspark",
        // Every subcommand gets -h/--help and -V/--version too.
        scope = CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run Apache Spark on Kubernetes without a local Spark or JVM.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the application failed (submit) or was not found (status, kill, logs)",
                "2:invalid arguments or configuration (nothing was created)",
                "3:Kubernetes API error (a failed submission leaves nothing behind)",
                "130:interrupted (submit stops waiting; the application keeps running)"})
public class KsparkCommand {
}
