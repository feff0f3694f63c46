package io.tapflow.flink.source.snapshot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the snapshot's split enumerator checkpoints: the splits not yet handed out, where streaming will start, and how
 * far each table's snapshot is (in table order).
 */
public record SnapshotEnumeratorState(List<SnapshotSplit> pendingSplits, BinlogPosition streamingStart,
                                      Map<String, TableProgress> tables) {
    public SnapshotEnumeratorState {
        pendingSplits = List.copyOf(pendingSplits);
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** The state before any split is read. */
    static SnapshotEnumeratorState initial(List<SnapshotSplit> splits, BinlogPosition streamingStart) {
        Map<String, TableProgress> tables = new LinkedHashMap<>();
        for (SnapshotSplit split : splits) {
            tables.merge(split.table(), new TableProgress(1, 0, 0),
                    (a, b) -> new TableProgress(a.splits() + 1, 0, 0));
        }
        return new SnapshotEnumeratorState(splits, streamingStart, tables);
    }
}
