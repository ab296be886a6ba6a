package io.kspark.cli;

import io.kspark.apps.AppNotFoundException;
import io.kspark.client.KubernetesApiException;
import io.kspark.conf.UserInputException;
import org.jboss.logging.Logger;
import picocli.CommandLine;

/**
 * The one place where failures become output and exit codes: a single {@code kspark: error: ...}
 * line on stderr, with the exit code from {@link ExitCodes}.
 */
public final class CommandErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    private static final Logger LOG = Logger.getLogger(CommandErrors.class);

    @Override
    public int handleExecutionException(Exception failure, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Exception e = failure instanceof KubernetesApiException api && cmd.getCommand() instanceof TalksToApiServer command
                ? command.apiServerTried().map(api::naming).orElse(api) : failure;
        int code = exitCode(e);
        if (code == ExitCodes.APP_FAILED && e instanceof AppNotFoundException) {
            cmd.getErr().println(e.getMessage());
        } else {
            cmd.getErr().println("kspark: error: " + oneLine(e));
        }
        cmd.getErr().flush();
        if (code == ExitCodes.APP_FAILED && !(e instanceof AppNotFoundException)) {
            LOG.debug("unexpected failure", e);
        }
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("kspark: error: " + oneLine(e) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    static int exitCode(Throwable e) {
        if (e instanceof UserInputException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof KubernetesApiException) {
            return ExitCodes.API_ERROR;
        }
        return ExitCodes.APP_FAILED;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof UserInputException) {
            return escapeControlCharacters(message); // it quotes the user's value, which may hold a newline: show it, do not cut there
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String escapeControlCharacters(String message) {
        StringBuilder line = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append(String.format("\\u%04x", c));
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
        });
        return line.toString();
    }
}
