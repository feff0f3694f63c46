package io.tapflow.cli.flink;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job looks like at one moment, read from Flink's REST API: state, rows read and written (and the read rate
 * over Flink's last minute), records per step, rows per table, CDC lag, end-to-end latency (source commit to target
 * write, over the last live changes), last checkpoint, backpressure and restarts, and what the job's own sampled
 * verification found, and how many rows the lookups hold in keyed state. {@code null} means the cluster does not report the value (yet).
 */
public record JobSnapshot(String name, String id, String state, long startTime, long durationMs, long takenAtMillis,
                          List<OperatorRecords> operators, Map<String, TableRows> tables, long rowsRead, long rowsWritten,
                          double rowsReadPerSecond, Long cdcLagMs, Long latencyP50Ms, Long latencyP99Ms,
                          LastCheckpoint lastCheckpoint, long restarts, String backpressure, String lastFailure,
                          String restartOutlook, VerifySamples verifySamples, Long lookupStateRows) {
    public JobSnapshot {
        operators = List.copyOf(operators);
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    /**
     * tapflow's per-table counters: rows the source read of a table, rows (upserts and deletes) written to a target
     * table, and for a source table whose snapshot this run planned, how far that snapshot is (else null).
     */
    public record TableRows(long rowsRead, long rowsWritten, SnapshotProgress snapshot) {}

    /**
     * A table's snapshot: splits done of all, rows done, and the source's own estimate of the table's rows (-1 when
     * unknown). While the snapshot runs, rows done are the rows read so far; afterwards, the rows the snapshot held.
     */
    public record SnapshotProgress(long splits, long splitsDone, long rowsDone, long rowsEstimated) {
        public boolean done() {
            return splitsDone >= splits;
        }
    }

    /** Records into and out of one operator (a step of the pipeline), summed over its parallel subtasks. */
    public record OperatorRecords(String operator, long recordsIn, long recordsOut) {}

    /** Keys the job's verify sampler ({@code verify.sample-per-second}) checked, and how many of them differ. */
    public record VerifySamples(long checked, long mismatched) {}

    /** The most recent completed checkpoint. */
    public record LastCheckpoint(long id, long completedAtMillis, long sizeBytes, long durationMs, String path) {}
}
