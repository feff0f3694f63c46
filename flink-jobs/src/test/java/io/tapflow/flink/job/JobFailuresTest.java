package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;
import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.junit.jupiter.api.Test;

class JobFailuresTest {
    private static IOException write(SQLException cause) {
        return new IOException("writing 2 changes to table items of datasource 'pg' failed: " + cause.getMessage(), cause);
    }

    @Test
    void writesTheTargetRejectsForTheirDataAreFatal() {
        assertThat(JobFailures.isFatal(write(new SQLException("value too long for type character varying(3)", "22001")))).isTrue();
        assertThat(JobFailures.isFatal(write(new SQLException("null value in column \"name\"", "23502")))).isTrue();
        assertThat(JobFailures.isFatal(write(new SQLException("Incorrect integer value", "HY000", 1366)))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "23505", 0, new int[0]);
        batch.setNextException(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(JobFailures.isFatal(write(batch))).isTrue();
    }

    @Test
    void lostConnectionsTimeoutsAndDeadlocksMayHeal() {
        assertThat(JobFailures.isFatal(write(new SQLException("An I/O error occurred", "08006")))).isFalse();
        assertThat(JobFailures.isFatal(write(new SQLException("deadlock detected", "40P01")))).isFalse();
        assertThat(JobFailures.isFatal(write(new SQLTransientConnectionException("timeout")))).isFalse();
        assertThat(JobFailures.isFatal(new TapflowException("cannot connect", new ConnectException("Connection refused")))).isFalse();
        assertThat(JobFailures.isFatal(new IOException("broken pipe"))).isFalse();
    }

    @Test
    void tapflowsOwnErrorsAreFatal() {
        assertThat(JobFailures.isFatal(new TapflowException("column t.c: value refused"))).isTrue();
    }

    @Test
    void aFatalFailureSuppressesFlinkRestartsAndKeepsTheMessage() {
        Throwable thrown = catchThrowable(() -> JobFailures.failFastIfFatal(
                write(new SQLException("value too long for type character varying(3)", "22001"))));
        assertThat(ThrowableClassifier.findThrowableOfThrowableType(thrown, ThrowableType.NonRecoverableError)).isPresent();
        assertThat(JobFailures.rootMessage(thrown))
                .isEqualTo("writing 2 changes to table items of datasource 'pg' failed: value too long for type character varying(3)");
        assertThatCode(() -> JobFailures.failFastIfFatal(write(new SQLException("gone", "08006")))).doesNotThrowAnyException();
    }

    @Test
    void aRowThatCannotBeConvertedIsFatalUnlessTheConnectionWasLost() {
        Throwable thrown = catchThrowable(() -> JobFailures.rowFailure("reading the snapshot of shop.items",
                new DateTimeException("Invalid value for MonthOfYear (valid values 1 - 12): 0")));
        assertThat(ThrowableClassifier.findThrowableOfThrowableType(thrown, ThrowableType.NonRecoverableError)).isPresent();
        assertThat(JobFailures.rootMessage(thrown)).isEqualTo("reading the snapshot of shop.items: DateTimeException: "
                + "Invalid value for MonthOfYear (valid values 1 - 12): 0");
        RuntimeException lost = JobFailures.rowFailure("reading the snapshot of shop.items",
                new SQLException("Communications link failure", "08S01"));
        assertThat(ThrowableClassifier.findThrowableOfThrowableType(lost, ThrowableType.NonRecoverableError)).isEmpty();
    }
}
