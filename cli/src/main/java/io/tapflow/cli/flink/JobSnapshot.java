package io.tapflow.cli.flink;

import java.util.List;

/**
 * What a job looks like at one moment, read from Flink's REST API: state, rows read and written (and the read rate
 * over Flink's last minute), records per step,
 * CDC lag, last checkpoint, backpressure and restarts. {@code null} means the cluster does not report the value (yet).
 */
public record JobSnapshot(String name, String id, String state, long startTime, long durationMs, long takenAtMillis,
                          List<OperatorRecords> operators, long rowsRead, long rowsWritten, double rowsReadPerSecond, Long cdcLagMs,
                          LastCheckpoint lastCheckpoint, long restarts, String backpressure, String lastFailure) {
    public JobSnapshot {
        operators = List.copyOf(operators);
    }

    /** Records into and out of one operator (a step of the pipeline), summed over its parallel subtasks. */
    public record OperatorRecords(String operator, long recordsIn, long recordsOut) {}

    /** The most recent completed checkpoint. */
    public record LastCheckpoint(long id, long completedAtMillis, long sizeBytes, long durationMs, String path) {}
}
