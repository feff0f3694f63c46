package io.tapflow.flink.verify;

import java.util.List;
import java.util.Map;

/**
 * A row of one side of a comparison with its target key.
 *
 * @param key         the key values in {@link KeyOrder#keyForm} form, as {@link KeyOrder} compares them
 * @param keyValues   the key fields and values as read or written (what a look-up or a delete binds)
 * @param sourceTable the source table it comes from ({@code database.table}); for target rows, the table's first
 */
record KeyedRow(List<Object> key, Map<String, Object> keyValues, Map<String, Object> row, String sourceTable) {}
