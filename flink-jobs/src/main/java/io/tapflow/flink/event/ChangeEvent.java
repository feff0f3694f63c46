package io.tapflow.flink.event;

import java.util.Map;
import java.util.Objects;

/**
 * One row change, the unit every step and sink handles: what happened ({@link Op}), to which table, the row's key,
 * the row before and after, and when the source committed it.
 *
 * <p>Row maps are {@link java.util.LinkedHashMap}s in column order holding only the canonical value types of
 * {@link RowValues}. They are mutable on purpose: the job runs with object reuse, so a step may change the row of the
 * event it was handed instead of copying it per record. Nothing else holds on to an event between operators.
 */
public final class ChangeEvent {
    private final Op op;
    private final String table;
    private final Map<String, Object> key;
    private final Map<String, Object> before;
    private final Map<String, Object> after;
    private final long sourceTsMs;

    public ChangeEvent(Op op, String table, Map<String, Object> key, Map<String, Object> before,
                       Map<String, Object> after, long sourceTsMs) {
        this.op = Objects.requireNonNull(op, "op");
        this.table = Objects.requireNonNull(table, "table");
        this.key = Objects.requireNonNull(key, "key");
        this.before = before;
        this.after = after;
        this.sourceTsMs = sourceTsMs;
    }

    public Op op() {
        return op;
    }

    /** The source table, as {@code database.table}. */
    public String table() {
        return table;
    }

    /** The source primary key columns and their values. */
    public Map<String, Object> key() {
        return key;
    }

    /** The row before the change; null for snapshot reads and inserts. */
    public Map<String, Object> before() {
        return before;
    }

    /** The row after the change; null for deletes. */
    public Map<String, Object> after() {
        return after;
    }

    /** The row as it now stands in the source: after, or before for a delete. */
    public Map<String, Object> latestRow() {
        return after != null ? after : before;
    }

    /** When the source committed the change (epoch millis); for snapshot reads, when the row was read. */
    public long sourceTsMs() {
        return sourceTsMs;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChangeEvent other)) {
            return false;
        }
        return op == other.op && sourceTsMs == other.sourceTsMs && table.equals(other.table)
                && RowValues.rowsEqual(key, other.key) && RowValues.rowsEqual(before, other.before)
                && RowValues.rowsEqual(after, other.after);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, table, RowValues.rowHash(key));
    }

    @Override
    public String toString() {
        return op + " " + table + " key=" + RowValues.format(key) + (before == null ? "" : " before=" + RowValues.format(before))
                + (after == null ? "" : " after=" + RowValues.format(after)) + " ts=" + sourceTsMs;
    }
}
