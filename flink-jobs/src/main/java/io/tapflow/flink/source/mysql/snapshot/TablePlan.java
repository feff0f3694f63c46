package io.tapflow.flink.source.mysql.snapshot;

import java.util.List;

/** One table's snapshot as planned: its splits, and the row count the server estimates from its statistics. */
record TablePlan(String table, List<SnapshotSplit> splits, long estimatedRows) {
    TablePlan {
        splits = List.copyOf(splits);
    }
}
