package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.flink.metrics.SourceProgress;
import io.tapflow.flink.metrics.TapflowMetrics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out snapshot splits to readers as they ask (faster readers take more), and keeps the binlog position taken
 * before the first row was read: the change stream that follows the snapshot starts there. Readers report each split
 * they finish; the job log (JobManager, marked for {@code tapflow logs}) then says when a table's snapshot is complete
 * with its row count, and where the change stream will start. Per-table progress is also a set of gauges on the
 * JobManager (see {@link TapflowMetrics}), which {@code tapflow monitor} shows as "rows done of estimated".
 */
public final class SnapshotSplitEnumerator implements SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSplitEnumerator.class);
    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final Deque<SnapshotSplit> pending;
    private final BinlogPosition streamingStart;
    private final Map<String, String> streamSchemas;
    private final Map<String, TableProgress> tables;
    private final String logPrefix;
    private final StreamStartGate changeStreamGate;
    private SnapshotProgressGauges progressGauges;

    SnapshotSplitEnumerator(SplitEnumeratorContext<SnapshotSplit> context, SnapshotEnumeratorState state) {
        this.context = context;
        this.pending = new ArrayDeque<>(state.pendingSplits());
        this.streamingStart = state.streamingStart();
        this.streamSchemas = state.streamSchemas();
        this.tables = new LinkedHashMap<>(state.tables());
        this.logPrefix = SourceProgress.MARKER + context.metricGroup().getAllVariables().getOrDefault("<job_id>", "?") + "] ";
        this.changeStreamGate = new StreamStartGate(context.currentParallelism(), allSplitsDone());
    }

    private boolean allSplitsDone() {
        return pending.isEmpty() && tables.values().stream().allMatch(TableProgress::done);
    }

    /** Where change streaming starts once every split is read. */
    public BinlogPosition streamingStart() {
        return streamingStart;
    }

    /**
     * The table schemas at {@link #streamingStart()} in Flink CDC's JSON form, keyed by table id; null when the state
     * this enumerator was restored from did not keep them.
     */
    public Map<String, String> streamSchemas() {
        return streamSchemas;
    }

    @Override
    public void start() {
        progressGauges = SnapshotProgressGauges.of(context.metricGroup());
        progressGauges.publish(tables);
        if (tables.values().stream().allMatch(t -> t.splitsDone() == 0)) {
            LOG.info("{}snapshot of {} table(s) in {} split(s) began; the change stream will start at binlog {}:{}",
                    logPrefix, tables.size(), pending.size(), streamingStart.file(), streamingStart.position());
        }
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (!(event instanceof SnapshotSplitDone done)) {
            return;
        }
        TableProgress table = tables.computeIfPresent(done.table(), (name, progress) -> progress.withSplitDone(done.rows()));
        progressGauges.publish(tables);
        if (table != null && table.done()) {
            LOG.info("{}snapshot of table {} finished: {} rows", logPrefix, done.table(), table.rows());
            if (tables.values().stream().allMatch(TableProgress::done)) {
                LOG.info("{}snapshot finished: {} rows in all; the change stream starts at binlog {}:{}{}", logPrefix,
                        tables.values().stream().mapToLong(TableProgress::rows).sum(), streamingStart.file(),
                        streamingStart.position(), changeStreamGate.isOpen() ? "" : " after the next checkpoint");
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        SnapshotSplit next = pending.poll();
        if (next != null) {
            context.assignSplit(next, subtaskId);
        } else if (changeStreamGate.isOpen()) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            changeStreamGate.hold(subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        splits.forEach(pending::addFirst);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public SnapshotEnumeratorState snapshotState(long checkpointId) {
        changeStreamGate.onCheckpoint(checkpointId, allSplitsDone());
        return new SnapshotEnumeratorState(List.copyOf(pending), streamingStart, streamSchemas, tables);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (changeStreamGate.onCheckpointComplete(checkpointId, context::signalNoMoreSplits)) {
            LOG.info("{}checkpoint {} holds every snapshot row: the change stream starts", logPrefix, checkpointId);
        }
    }

    @Override
    public void close() {}
}
