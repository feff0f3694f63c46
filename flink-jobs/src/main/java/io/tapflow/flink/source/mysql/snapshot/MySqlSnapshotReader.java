package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.flink.event.ChangeEvent;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * A snapshot reader subtask. It keeps one split queued behind the one being read, so its fetcher thread never waits
 * for the enumerator between splits while the task thread is still writing the previous split's rows.
 */
final class MySqlSnapshotReader
        extends SingleThreadMultiplexSourceReaderBase<ChangeEvent, ChangeEvent, SnapshotSplit, SnapshotSplitState> {
    private static final int SPLITS_AHEAD = 2;

    MySqlSnapshotReader(Supplier<SnapshotSplitReader> splitReaders, Configuration config, SourceReaderContext context) {
        super(splitReaders::get, new Emitter(), config, context);
    }

    @Override
    public void start() {
        context.sendSourceEventToCoordinator(new SnapshotReaderStarted());
        for (int i = getNumberOfCurrentlyAssignedSplits(); i < SPLITS_AHEAD; i++) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, SnapshotSplitState> finished) {
        finished.forEach((id, state) -> {
            SnapshotSplit split = state.toSplit();
            context.sendSourceEventToCoordinator(new SnapshotSplitDone(id, split.table(), state.rows()));
            context.sendSplitRequest();
        });
    }

    @Override
    protected SnapshotSplitState initializedState(SnapshotSplit split) {
        return new SnapshotSplitState(split);
    }

    @Override
    protected SnapshotSplit toSplitType(String splitId, SnapshotSplitState state) {
        return state.toSplit();
    }

    /** Passes events on and records each one's key as the split's progress. */
    private static final class Emitter implements RecordEmitter<ChangeEvent, ChangeEvent, SnapshotSplitState> {
        @Override
        public void emitRecord(ChangeEvent event, SourceOutput<ChangeEvent> output, SnapshotSplitState state) {
            state.emitted(event.key());
            output.collect(event);
        }
    }
}
