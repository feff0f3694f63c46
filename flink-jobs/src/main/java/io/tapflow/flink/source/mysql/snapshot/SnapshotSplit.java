package io.tapflow.flink.source.mysql.snapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A part of one table's snapshot: the rows whose integral range column lies in [rangeStart, rangeEnd) (either end
 * may be open), or the whole table when there is no range column. A resumable split is read in key order and remembers
 * the key of the last row handed downstream ({@code resumeAfter}), so a restored job continues after it instead of
 * reading the split again.
 *
 * @param keyColumns  the table's primary key, or the pipeline's key fields for a table without one
 * @param resumable   whether the key is unique (a primary key), which makes "continue after this key" exact
 * @param rangeColumn the integral single-column key used for ranges, or null
 * @param rowsRead    rows of this split passed downstream so far, across restores
 */
public record SnapshotSplit(String splitId, String table, List<String> keyColumns, boolean resumable,
                            String rangeColumn, Long rangeStart, Long rangeEnd, List<Object> resumeAfter, long rowsRead)
        implements SourceSplit {

    public SnapshotSplit {
        keyColumns = List.copyOf(keyColumns);
        resumeAfter = resumeAfter == null ? null : Collections.unmodifiableList(new ArrayList<>(resumeAfter));
    }

    /** A split not read yet. */
    static SnapshotSplit unread(String splitId, String table, List<String> keyColumns, boolean resumable,
                                String rangeColumn, Long rangeStart, Long rangeEnd) {
        return new SnapshotSplit(splitId, table, keyColumns, resumable, rangeColumn, rangeStart, rangeEnd, null, 0);
    }

    /** The same split after {@code rows} rows in all were passed on, to be continued after the given key (if any). */
    public SnapshotSplit progressed(List<Object> resumeAfterKey, long rows) {
        return new SnapshotSplit(splitId, table, keyColumns, resumable, rangeColumn, rangeStart, rangeEnd, resumeAfterKey, rows);
    }
}
