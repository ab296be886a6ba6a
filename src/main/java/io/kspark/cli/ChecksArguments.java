package io.kspark.cli;

/**
 * A long-running command whose arguments can be checked without the runtime, so that a bad one is answered in one
 * line before Quarkus starts and opens its HTTP port.
 */
interface ChecksArguments {

    /** Throws {@link io.kspark.conf.UserInputException} naming the offending option. */
    void checkArguments();
}
