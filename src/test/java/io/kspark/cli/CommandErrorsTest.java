package io.kspark.cli;

import io.kspark.conf.UserInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandErrorsTest {

    @Test
    void aUsersValueWithANewlineStaysOnOneLineAndWhole() {
        UserInputException e = new UserInputException("spark.kubernetes.driver.label.a: 'b\nc\t\u0007' is not a valid label value");
        assertThat(CommandErrors.oneLine(e)).isEqualTo("spark.kubernetes.driver.label.a: 'b\\nc\\t\\u0007' is not a valid label value");
        assertThat(CommandErrors.exitCode(e)).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void otherMessagesKeepTheirFirstLine() {
        RuntimeException e = new RuntimeException("first\n  at some.Detail");
        assertThat(CommandErrors.oneLine(e)).isEqualTo("first");
        assertThat(CommandErrors.oneLine(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(CommandErrors.exitCode(e)).isEqualTo(ExitCodes.APP_FAILED);
    }
}
