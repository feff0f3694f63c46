package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.TapflowException;
import org.junit.jupiter.api.Test;

/** A script tells a tapflow bug from a user error and from verify's "the target differs" (3) by the exit code. */
class ErrorMessagesTest {
    @Test
    void aBugExitsWithItsOwnCode() {
        IllegalStateException bug = new IllegalStateException("boom");
        assertThat(ErrorMessages.exitCode(bug)).isEqualTo(70);
        assertThat(ErrorMessages.of(bug)).isEqualTo("IllegalStateException: boom (this is a tapflow bug; run with -v for details)");
        assertThat(ErrorMessages.exitCode(new RuntimeException(new TapflowException("no such table")))).isEqualTo(1);
    }
}
