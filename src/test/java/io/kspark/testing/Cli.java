package io.kspark.testing;

import io.kspark.cli.KsparkCli;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs kspark commands in-process and captures exit code, stdout and stderr. */
public final class Cli {

    public record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    public static Result run(CommandLine.IFactory factory, String... args) {
        return run(factory, new StringWriter(), new StringWriter(), args);
    }

    /** Runs with caller-owned writers, so a test can watch the output while the command still runs. */
    public static Result run(CommandLine.IFactory factory, StringWriter out, StringWriter err, String... args) {
        CommandLine cli = KsparkCli.forArguments(factory, args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
