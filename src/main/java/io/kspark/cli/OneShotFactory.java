package io.kspark.cli;

import picocli.CommandLine;

/**
 * Creates kspark's commands without a CDI container, for one-shot commands run outside the Quarkus
 * runtime (see {@link OneShotLauncher}): the few collaborators they need are plain objects.
 */
public final class OneShotFactory implements CommandLine.IFactory {

    private final CommandLine.IFactory plain = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == SubmitCommand.class) {
            return type.cast(new SubmitCommand(new SubmitEnvironment(), new KsparkSubmissionCustomizer()));
        }
        return plain.create(type);
    }
}
