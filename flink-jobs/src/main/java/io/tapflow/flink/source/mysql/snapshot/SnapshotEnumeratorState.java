package io.tapflow.flink.source.mysql.snapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the snapshot's split enumerator checkpoints: the splits not yet handed out, where streaming will start and the
 * table schemas at that position ({@link StreamStart}; null schemas: taken by a tapflow that did not keep them), and
 * how far each table's snapshot is (in table order).
 */
public record SnapshotEnumeratorState(List<SnapshotSplit> pendingSplits, BinlogPosition streamingStart,
                                      Map<String, String> streamSchemas, Map<String, TableProgress> tables) {
    public SnapshotEnumeratorState {
        pendingSplits = List.copyOf(pendingSplits);
        streamSchemas = streamSchemas == null ? null : Map.copyOf(streamSchemas);
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** The state before any split is read. */
    static SnapshotEnumeratorState initial(List<TablePlan> plans, StreamStart start) {
        List<SnapshotSplit> splits = new ArrayList<>();
        Map<String, TableProgress> tables = new LinkedHashMap<>();
        for (TablePlan plan : plans) {
            splits.addAll(plan.splits());
            tables.put(plan.table(), TableProgress.planned(plan.splits().size(), plan.estimatedRows()));
        }
        return new SnapshotEnumeratorState(splits, start.position(), start.tableSchemas(), tables);
    }
}
