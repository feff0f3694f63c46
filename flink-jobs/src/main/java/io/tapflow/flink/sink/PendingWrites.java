package io.tapflow.flink.sink;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one target table waiting for the next flush, one per key: a later change to the same key replaces
 * the earlier one. Only the final state of each key matters to a keyed target, so this both shrinks batches and keeps
 * replays after a restore harmless.
 */
final class PendingWrites {
    /** Null value = delete. */
    private final Map<RowKey, Map<String, Object>> byKey = new LinkedHashMap<>();
    private final TargetTable table;
    private boolean snapshotRowsOnly = true;

    PendingWrites(TargetTable table) {
        this.table = table;
    }

    TargetTable table() {
        return table;
    }

    void add(ChangeEvent event) {
        List<String> key = table.keyFields();
        snapshotRowsOnly &= event.op() == Op.READ;
        if (event.op() == Op.DELETE) {
            byKey.put(RowKey.of(key, event.before(), event.table()), null);
            return;
        }
        RowKey newKey = RowKey.of(key, event.after(), event.table());
        if (event.op() == Op.UPDATE && event.before() != null) {
            // An update that changes the key moves the row: the old key must go.
            RowKey oldKey = RowKey.of(key, event.before(), event.table());
            if (!oldKey.equals(newKey)) {
                byKey.put(oldKey, null);
            }
        }
        byKey.remove(newKey); // keep arrival order of the latest change
        byKey.put(newKey, event.after());
    }

    int size() {
        return byKey.size();
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    List<Map<String, Object>> upserts() {
        List<Map<String, Object>> rows = new ArrayList<>();
        byKey.values().forEach(row -> {
            if (row != null) {
                rows.add(row);
            }
        });
        return rows;
    }

    List<RowKey> deletes() {
        List<RowKey> keys = new ArrayList<>();
        byKey.forEach((k, row) -> {
            if (row == null) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** Whether every pending write is a snapshot row, which a target most likely does not hold yet. */
    boolean snapshotRowsOnly() {
        return snapshotRowsOnly;
    }

    void clear() {
        byKey.clear();
        snapshotRowsOnly = true;
    }
}
