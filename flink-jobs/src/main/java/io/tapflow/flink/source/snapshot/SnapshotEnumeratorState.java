package io.tapflow.flink.source.snapshot;

import java.util.List;

/** What the snapshot's split enumerator checkpoints: the splits not yet handed out, and where streaming will start. */
public record SnapshotEnumeratorState(List<SnapshotSplit> pendingSplits, BinlogPosition streamingStart) {
    public SnapshotEnumeratorState {
        pendingSplits = List.copyOf(pendingSplits);
    }
}
