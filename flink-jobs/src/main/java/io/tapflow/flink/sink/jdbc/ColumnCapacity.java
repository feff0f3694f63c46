package io.tapflow.flink.sink.jdbc;

import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which value of a refused batch its target column, as the job declared it, cannot hold: a text longer than a
 * (var)char's length, or an integer beyond a signed int's range. A source column widened while the target keeps its
 * type (policy ignore) makes such values; PostgreSQL's refusal ("value too long for type character varying(10)",
 * "integer out of range") names no column, so the message says which. Looked at only once a write failed.
 */
final class ColumnCapacity {
    private ColumnCapacity() {}

    /** A sentence naming the first column of the rows that cannot hold its value, and why; empty when none is found. */
    static Optional<String> firstMisfit(TargetTable table, List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            for (Column c : table.columns()) {
                String why = misfit(c, row.get(c.name()));
                if (why != null) {
                    return Optional.of("column '" + c.name() + "' of target table " + table.name() + " is " + c.columnType()
                            + ", which cannot hold the value " + text(row.get(c.name())) + " (" + why + ")");
                }
            }
        }
        return Optional.empty();
    }

    private static String text(Object value) {
        return value instanceof String s ? "'" + s + "'" : RowValues.format(value);
    }

    private static String misfit(Column c, Object value) {
        boolean text = c.dataType().equals("varchar") || c.dataType().equals("char");
        if (text && c.length() > 0 && value instanceof String s && s.codePointCount(0, s.length()) > c.length()) {
            return s.codePointCount(0, s.length()) + " characters";
        }
        boolean signedInt = (c.dataType().equals("int") || c.dataType().equals("integer")) && !c.unsigned();
        if (signedInt && value instanceof Number n && !(value instanceof Double || value instanceof Float)
                && (n.longValue() > Integer.MAX_VALUE || n.longValue() < Integer.MIN_VALUE)) {
            return "beyond a 32-bit integer";
        }
        return null;
    }
}
