package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.JsonValues;
import java.util.List;
import java.util.Map;

/**
 * Names the row and column of a value a json/jsonb column cannot take: an embedded row or array (lookup) holding a
 * value with no JSON form (NaN, an infinity). Only looked for once a batch failed, so writing pays nothing for it.
 */
final class JsonColumnValues {
    private JsonColumnValues() {}

    /** The failure, told with the first row and column of the batch whose JSON form fails; as it is when none does. */
    static TapflowException describe(TargetTable table, List<Map<String, Object>> rows, TapflowException failure) {
        for (Map<String, Object> row : rows) {
            for (Map.Entry<String, Object> column : row.entrySet()) {
                if (column.getValue() instanceof Map<?, ?> || column.getValue() instanceof List<?>) {
                    try {
                        JsonValues.value(column.getValue());
                    } catch (TapflowException e) {
                        return new TapflowException("row " + RowValues.format(key(table, row)) + " of " + table.sourceTable()
                                + " (to " + table.name() + ") column '" + column.getKey() + "': embedded " + e.getMessage());
                    }
                }
            }
        }
        return failure;
    }

    private static Map<String, Object> key(TargetTable table, Map<String, Object> row) {
        Map<String, Object> key = new java.util.LinkedHashMap<>();
        table.keyFields().forEach(k -> key.put(k, row.get(k)));
        return key;
    }
}
