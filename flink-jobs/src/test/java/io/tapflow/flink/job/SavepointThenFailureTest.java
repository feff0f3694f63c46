package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.scheduler.stopwithsavepoint.StopWithSavepointStoppingException;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.Test;

/** A stop whose job failed after its savepoint was written is recognised, as Flink's client and REST API report it. */
class SavepointThenFailureTest {
    private static final String PATH = "file:/tmp/savepoints/savepoint-1a2b3c-0123456789ab";

    @Test
    void findsTheSavepointInTheExceptionChainAndInARestStackTrace() {
        StopWithSavepointStoppingException flink = new StopWithSavepointStoppingException(PATH, new JobID(),
                new IllegalStateException("reader closed while waiting for the hand-over checkpoint"));
        assertThat(SavepointThenFailure.savepointOf(new ExecutionException(new CompletionException(flink)))).contains(PATH);
        assertThat(SavepointThenFailure.savepointOf(new ExecutionException(new SerializedThrowable(flink)))).contains(PATH);
        assertThat(SavepointThenFailure.savepointIn("java.util.concurrent.CompletionException: "
                + ExceptionUtils.stringifyException(flink))).contains(PATH);
    }

    @Test
    void anyOtherFailureIsNotThatCase() {
        assertThat(SavepointThenFailure.savepointOf(new ExecutionException(new IllegalStateException("checkpoint declined")))).isEmpty();
        assertThat(SavepointThenFailure.savepointIn("org.apache.flink.runtime.checkpoint.CheckpointException: Task not running")).isEmpty();
    }
}
