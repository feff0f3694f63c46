package io.tapflow.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobSnapshotsTest {
    @Test
    void failureShowsTheInnermostCause() {
        String trace = """
                org.apache.flink.runtime.JobException: The failure is not recoverable
                \tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219)
                Caused by: java.io.IOException: step 'py-stamp' failed
                \tat io.tapflow.flink.step.UdfStep.open(UdfStep.java:1)
                Caused by: java.lang.IllegalStateException: No language for id python found
                \t... 12 more
                """;
        assertThat(JobSnapshots.rootCause(trace)).isEqualTo("java.lang.IllegalStateException: No language for id python found");
    }

    @Test
    void failureWithoutCauseShowsItsFirstLine() {
        assertThat(JobSnapshots.rootCause("java.lang.RuntimeException: boom\n\tat x.y(Z.java:1)"))
                .isEqualTo("java.lang.RuntimeException: boom");
    }
}
