package io.tapflow.flink.source.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A split being read: remembers the key of the last row handed downstream, which is what a checkpoint stores. */
final class SnapshotSplitState {
    private final SnapshotSplit split;
    private Map<String, Object> lastEmittedKey;

    SnapshotSplitState(SnapshotSplit split) {
        this.split = split;
    }

    /** Called for every emitted row; keeps a reference only (key maps are not changed downstream). */
    void emitted(Map<String, Object> key) {
        lastEmittedKey = key;
    }

    SnapshotSplit toSplit() {
        if (!split.resumable() || lastEmittedKey == null) {
            return split;
        }
        List<Object> values = new ArrayList<>(split.keyColumns().size());
        for (String column : split.keyColumns()) {
            values.add(lastEmittedKey.get(column));
        }
        return split.resumingAfter(values);
    }
}
