package io.tapflow.flink.verify;

import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * Reads a source table's rows as the pipeline's source produces them (the same canonical values), for
 * {@code tapflow verify}. One per source datasource; holds one connection.
 */
public interface SourceReader extends AutoCloseable {

    /**
     * Every row of the table, ordered by the columns in binary order (numbers by value, text by code point, bytes
     * unsigned), the order {@link KeyOrder} compares in.
     */
    default RowCursor rows(TableSchema table, List<String> orderColumns) {
        return rows(table, orderColumns, null);
    }

    /** The rows whose first order column is in the range (all rows when it is null), in that order. */
    RowCursor rows(TableSchema table, List<String> orderColumns, KeyRange range);

    /** The rows whose columns hold these values (a re-read of some keys). */
    List<Map<String, Object>> rowsWhere(TableSchema table, List<String> columns, List<Object> values);

    long count(TableSchema table);

    @Override
    void close();
}
