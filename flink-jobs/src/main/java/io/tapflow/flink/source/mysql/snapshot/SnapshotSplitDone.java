package io.tapflow.flink.source.mysql.snapshot;

import org.apache.flink.api.connector.source.SourceEvent;

/** A reader's report to the enumerator that it has passed on every row of a split. */
record SnapshotSplitDone(String splitId, String table, long rows) implements SourceEvent {
    private static final long serialVersionUID = 1L;
}
