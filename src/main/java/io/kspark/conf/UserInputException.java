package io.kspark.conf;

/**
 * Bad input from the user (arguments, conf values, files). Commands map it to exit code 2; the
 * message is a single line that names the offending key or argument.
 */
public class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error about one conf key, rendered as {@code key: problem}. */
    public static UserInputException forKey(String key, String problem) {
        return new UserInputException(key + ": " + problem);
    }
}
