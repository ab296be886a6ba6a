package io.kspark.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class KsparkCliTest {

    @Test
    void everySubcommandIsRegisteredUnderItsOwnName() {
        KsparkCli.SUBCOMMANDS.forEach((name, type) ->
                assertThat(type.getAnnotation(CommandLine.Command.class).name()).as(type.getSimpleName()).isEqualTo(name));
        assertThat(KsparkCli.create(new OneShotFactory()).getSubcommands()).containsOnlyKeys(KsparkCli.SUBCOMMANDS.keySet());
    }

    @Test
    void aCommandLineForOneSubcommandBuildsThatOneOnlyWithTheSharedSettings() {
        CommandLine cli = KsparkCli.forArguments(new OneShotFactory(), "submit", "--dry-run");
        assertThat(cli.getSubcommands()).containsOnlyKeys("submit");
        CommandLine submit = cli.getSubcommands().get("submit");
        assertThat(submit.isStopAtPositional()).isTrue();
        assertThat(submit.isOverwrittenOptionsAllowed()).isTrue();
        assertThat(cli.isExpandAtFiles()).isFalse();
        assertThat(submit.getExecutionExceptionHandler()).isInstanceOf(CommandErrors.class);
        // The inherited --help and --version come along.
        assertThat(submit.getCommandSpec().optionsMap()).containsKeys("--help", "--version");

        assertThat(KsparkCli.forArguments(new OneShotFactory(), "status", "x").getSubcommands()).containsOnlyKeys("status");
    }

    @Test
    void withoutASubcommandNameEveryOneIsThereForHelpAndSuggestions() {
        for (String[] args : new String[][] {{}, {"--help"}, {"sbumit"}}) {
            assertThat(KsparkCli.forArguments(new OneShotFactory(), args).getSubcommands()).containsOnlyKeys(KsparkCli.SUBCOMMANDS.keySet());
        }
        StringWriter out = new StringWriter();
        CommandLine cli = KsparkCli.forArguments(new OneShotFactory(), "--help");
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("submit", "status", "kill", "list", "logs", "controller", "sidecar", "expose");
    }
}
