package io.tapflow.flink.source.snapshot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out snapshot splits to readers as they ask (faster readers take more), and keeps the binlog position taken
 * before the first row was read: the change stream that follows the snapshot starts there.
 */
public final class SnapshotSplitEnumerator implements SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> {
    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final Deque<SnapshotSplit> pending;
    private final BinlogPosition streamingStart;

    SnapshotSplitEnumerator(SplitEnumeratorContext<SnapshotSplit> context, SnapshotEnumeratorState state) {
        this.context = context;
        this.pending = new ArrayDeque<>(state.pendingSplits());
        this.streamingStart = state.streamingStart();
    }

    /** Where change streaming starts once every split is read. */
    public BinlogPosition streamingStart() {
        return streamingStart;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        SnapshotSplit next = pending.poll();
        if (next != null) {
            context.assignSplit(next, subtaskId);
        } else {
            context.signalNoMoreSplits(subtaskId);
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
        return new SnapshotEnumeratorState(List.copyOf(pending), streamingStart);
    }

    @Override
    public void close() {}
}
