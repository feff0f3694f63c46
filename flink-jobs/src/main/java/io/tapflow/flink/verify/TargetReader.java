package io.tapflow.flink.verify;

import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads a target table (or collection) back for {@code tapflow verify}: the side a new target connector implements
 * to be verifiable. Rows come back as comparable values, and {@link #stored} says what the target makes of a value the
 * pipeline writes (its documented conversions, such as MongoDB's millisecond dates), so those are never reported as
 * differences.
 */
public interface TargetReader extends AutoCloseable {

    /** Every row, ordered by the table's key fields in {@link KeyOrder}; fields the sink adds itself are left out. */
    RowCursor rows(TargetTable table);

    /** The rows whose (single, integer) key is in the range, in key order: for checksum comparisons of SQL targets. */
    default RowCursor rows(TargetTable table, KeyRange range) {
        throw new UnsupportedOperationException("key ranges are read from SQL targets only");
    }

    /** The row with this key (key values as the pipeline writes them), or null. */
    Map<String, Object> row(TargetTable table, RowKey key);

    long count(TargetTable table);

    /** The value as the target stores it and {@link #rows} returns it, for a value the pipeline writes to that column. */
    Object stored(TargetTable table, String column, Object value);

    /**
     * {@link #stored} for one column, resolved once: a comparison applies it to that column's value of every row, so a
     * reader whose conversion depends on the column's declaration looks the column up here, not per value.
     */
    default UnaryOperator<Object> storedAs(TargetTable table, String column) {
        return v -> stored(table, column, v);
    }

    /** Whether the column holds JSON text that the target may reformat (compared as JSON, not as text). */
    default boolean isJson(TargetTable table, String column) {
        return table.columns().stream().anyMatch(c -> c.name().equals(column) && c.dataType().equals("json"));
    }

    @Override
    void close();
}
