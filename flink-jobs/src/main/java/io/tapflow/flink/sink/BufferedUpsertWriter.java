package io.tapflow.flink.sink;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.job.JobFailures;
import io.tapflow.flink.metrics.TapflowMetrics;
import io.tapflow.flink.schema.NewTables;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;

/**
 * A sink writer for keyed targets: buffers changes per target table and key, and writes them as one batch when the
 * buffer is full, when the flush interval passes, and at every checkpoint (so a completed checkpoint means the
 * target has everything before it: at-least-once delivery, and with idempotent writes, an exactly-once result).
 * A failed write fails the job; nothing is dropped. One the target rejects for its data fails it without restarts
 * ({@link JobFailures}), unless the writer has {@link SinkRowErrors}: then the batch is written again row by row and
 * each refused row goes to the pipeline's error policy (skip, dead letter) while the others are written.
 */
public abstract class BufferedUpsertWriter implements SinkWriter<ChangeEvent> {
    private final Map<String, PendingWrites> pendingBySourceTable = new LinkedHashMap<>();
    private final Map<String, PendingWrites> pendingByTarget = new LinkedHashMap<>();
    private NewTables newTables;
    private final int batchSize;
    private final long flushIntervalMs;
    private final ProcessingTimeService timeService;
    private final Counter rowsWritten;
    private final Counter rowsDeleted;
    private final TapflowMetrics tapflowMetrics;
    private final Histogram endToEndLatency;
    /** Source commit times of the buffered live changes, for the end-to-end latency once they are written. */
    private long[] pendingCommitTimes = new long[64];
    private int pendingChanges;
    private int pending;
    private boolean timerArmed;
    private volatile IOException timerFailure;
    private final SinkRowErrors rowErrors;

    protected BufferedUpsertWriter(List<TargetTable> tables, SinkOptions options, ProcessingTimeService timeService,
                                   MetricGroup metrics) {
        this(tables, options, timeService, metrics, null);
    }

    /** @param rowErrors applies the error policy to rows the target refuses; null fails the job on them */
    protected BufferedUpsertWriter(List<TargetTable> tables, SinkOptions options, ProcessingTimeService timeService,
                                   MetricGroup metrics, SinkRowErrors rowErrors) {
        this.rowErrors = rowErrors;
        // One buffer per target table, however many source tables write it: a union's changes to one target row
        // replace each other in arrival order, whichever source table they come from.
        tables.forEach(this::addTable);
        this.batchSize = options.batchSize();
        this.flushIntervalMs = options.flushIntervalMs();
        this.timeService = timeService;
        this.rowsWritten = metrics.counter("tapflowRowsUpserted");
        this.rowsDeleted = metrics.counter("tapflowRowsDeleted");
        this.tapflowMetrics = new TapflowMetrics(metrics);
        this.endToEndLatency = tapflowMetrics.endToEndLatency();
    }

    /**
     * Writes one table's batch: deletes by key, then upserts of whole rows. Must be idempotent.
     *
     * @param snapshotRowsOnly every row of the batch comes from the snapshot (no deletes, and the rows are most likely
     *                         new to the target), which allows a faster bulk insert that falls back to upserts on a conflict
     */
    protected abstract void writeBatch(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts,
                                       boolean snapshotRowsOnly) throws IOException;

    /**
     * Deletes the target table's rows in {@code scope}: every row when its only source table was truncated under the
     * schema-change policy evolve, or a union's rows of that table. Writers of targets whose factory says
     * {@code appliesTruncate()} override this.
     */
    protected void truncate(TargetTable table, TruncateScope scope) throws IOException {
        throw new IOException("target table " + table.name() + " cannot be emptied by this target's writer");
    }

    /**
     * Drops or renames a column of the target table, once the rows before the change are written. Writers of targets
     * whose factory says {@code altersInOrder()} override this.
     */
    protected void alter(TargetTable table, SchemaChange change) throws IOException {
        throw new IOException("target table " + table.name() + " cannot be altered by this target's writer");
    }

    /** Lets rows of tables created while the job runs (which its patterns select) in; see {@link NewTables}. */
    public void planNewTablesWith(NewTables planner) {
        this.newTables = planner;
    }

    private PendingWrites addTable(TargetTable t) {
        PendingWrites writes = pendingByTarget.computeIfAbsent(t.name(), name -> new PendingWrites(t));
        pendingBySourceTable.put(t.sourceTable(), writes);
        return writes;
    }

    @Override
    public void write(ChangeEvent event, Context context) throws IOException {
        rethrowTimerFailure();
        PendingWrites writes = pendingBySourceTable.get(event.table());
        if (writes == null && newTables != null) {
            TargetTable created = newTables.plan(event.table());
            writes = created == null ? null : addTable(created);
        }
        if (writes == null) {
            throw new TapflowException("no target table is planned for source table " + event.table()
                    + "; planned: " + pendingBySourceTable.keySet());
        }
        if (event.op() == Op.TRUNCATE || event.op() == Op.ALTER_TARGET) {
            // What came before is written first: none of it outlives a TRUNCATE, or loses a column's values to a change.
            flushAll();
            if (TargetSchemaChanges.isFlushOnly(event)) {
                // Parallel sink subtasks: the change is made once every one of them has written the rows before it.
                return;
            }
            if (event.op() == Op.TRUNCATE) {
                truncate(writes.table(), TargetSchemaChanges.truncateScope(event));
            } else {
                alter(writes.table(), TargetSchemaChanges.of(event));
            }
            return;
        }
        writes.add(event);
        if (event.op() != Op.READ) {
            // Snapshot rows carry their read time, not a commit time: they would blur the latency of live changes.
            if (pendingChanges == pendingCommitTimes.length) {
                pendingCommitTimes = Arrays.copyOf(pendingCommitTimes, pendingChanges * 2);
            }
            pendingCommitTimes[pendingChanges++] = event.sourceTsMs();
        }
        if (++pending >= batchSize) {
            flushAll();
        } else if (!timerArmed) {
            timerArmed = true;
            timeService.registerTimer(timeService.getCurrentProcessingTime() + flushIntervalMs, ts -> onTimer());
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        rethrowTimerFailure();
        flushAll();
    }

    private void onTimer() {
        timerArmed = false;
        try {
            flushAll();
        } catch (IOException e) {
            // Surfaces on the next write or checkpoint; the timer callback must not swallow it.
            timerFailure = e;
            throw new TapflowException(e.getMessage(), e);
        }
    }

    private void rethrowTimerFailure() throws IOException {
        if (timerFailure != null) {
            throw timerFailure;
        }
    }

    private void flushAll() throws IOException {
        if (pending == 0) {
            return;
        }
        for (PendingWrites writes : pendingByTarget.values()) {
            if (writes.isEmpty()) {
                continue;
            }
            List<RowKey> deletes = writes.deletes();
            List<Map<String, Object>> upserts = writes.upserts();
            try {
                writeBatch(writes.table(), deletes, upserts, writes.snapshotRowsOnly());
            } catch (IOException | RuntimeException e) {
                if (rowErrors == null || !JobFailures.isFatal(e)) {
                    JobFailures.failFastIfFatal(e);
                    throw e;
                }
                writeRowByRow(writes.table(), deletes, upserts);
            }
            rowsDeleted.inc(deletes.size());
            rowsWritten.inc(upserts.size());
            tapflowMetrics.rowsWritten(writes.table().name()).inc(deletes.size() + upserts.size());
            writes.clear();
        }
        if (rowErrors != null) {
            rowErrors.flush();
        }
        long writtenAt = System.currentTimeMillis();
        for (int i = 0; i < pendingChanges; i++) {
            endToEndLatency.update(writtenAt - pendingCommitTimes[i]);
        }
        pendingChanges = 0;
        pending = 0;
    }

    /**
     * Writes a batch the target refused one change at a time, so that only the changes it refuses for their data meet
     * the error policy. The buffer holds one change per key, so their order does not matter.
     */
    private void writeRowByRow(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts)
            throws IOException {
        for (RowKey key : deletes) {
            writeOne(table, key, null, List.of(key), List.of());
        }
        for (Map<String, Object> row : upserts) {
            writeOne(table, RowKey.of(table.keyFields(), row, table.sourceTable()), row, List.of(), List.of(row));
        }
    }

    private void writeOne(TargetTable table, RowKey key, Map<String, Object> row, List<RowKey> delete,
                          List<Map<String, Object>> upsert) throws IOException {
        try {
            writeBatch(table, delete, upsert, false);
        } catch (IOException | RuntimeException e) {
            if (!JobFailures.isFatal(e)) {
                throw e;
            }
            rowErrors.refused(table, key, row, JobFailures.rootMessage(e));
        }
    }

    /** Closes the error policy's dead-letter writer; subclasses close their own connections too. */
    @Override
    public void close() throws Exception {
        if (rowErrors != null) {
            rowErrors.close();
        }
    }
}
