package io.tapflow.flink.source.mysql.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A split being read: remembers the key of the last row handed downstream and how many rows that makes, which is what
 * a checkpoint stores.
 */
final class SnapshotSplitState {
    private final SnapshotSplit split;
    private Map<String, Object> lastEmittedKey;
    private long rows;

    SnapshotSplitState(SnapshotSplit split) {
        this.split = split;
        this.rows = split.rowsRead();
    }

    /** Called for every emitted row; keeps a reference only (key maps are not changed downstream). */
    void emitted(Map<String, Object> key) {
        lastEmittedKey = key;
        rows++;
    }

    long rows() {
        return rows;
    }

    SnapshotSplit toSplit() {
        if (!split.resumable() || lastEmittedKey == null) {
            // Without a unique key a restored split is read again from its start, and counted again.
            return split;
        }
        List<Object> values = new ArrayList<>(split.keyColumns().size());
        for (String column : split.keyColumns()) {
            values.add(lastEmittedKey.get(column));
        }
        return split.progressed(values, rows);
    }
}
