package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-dimensional array value (a {@code List} of scalar row values, from a PostgreSQL array column) as PostgreSQL's
 * array literal, e.g. {@code {"a","b c",NULL}}: every element quoted, so no text needs PostgreSQL's unquoted-word
 * rules, and NULL unquoted. The same text goes through COPY and through a bound parameter (the server casts it to the
 * column's array type). A lookup's embedded array is a JSON array in a jsonb column instead; the column's type, not the
 * value, tells them apart (an empty list would be {@code []} in one and {@code {}} in the other).
 */
final class PostgresArrayText {
    private PostgresArrayText() {}

    /** The rows with each array column's list replaced by its literal; the same list when the table has none. */
    static List<Map<String, Object>> literals(TargetTable table, List<Map<String, Object>> rows) {
        List<String> arrays = table.columns().stream().filter(c -> Column.ARRAY.equals(c.dataType())).map(Column::name).toList();
        if (arrays.isEmpty()) {
            return rows;
        }
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            for (String column : arrays) {
                if (copy.get(column) instanceof List<?> list) {
                    copy.put(column, literal(list));
                }
            }
            out.add(copy);
        }
        return out;
    }

    static String literal(List<?> elements) {
        StringBuilder text = new StringBuilder("{");
        for (Object element : elements) {
            if (text.length() > 1) {
                text.append(',');
            }
            if (element == null) {
                text.append("NULL");
                continue;
            }
            text.append('"');
            String plain = elementText(element);
            for (int i = 0; i < plain.length(); i++) {
                char c = plain.charAt(i);
                if (c == '"' || c == '\\') {
                    text.append('\\');
                }
                text.append(c);
            }
            text.append('"');
        }
        return text.append('}').toString();
    }

    private static String elementText(Object element) {
        if (element instanceof String || element instanceof Integer || element instanceof Long
                || element instanceof Float || element instanceof Double) {
            return element.toString();
        }
        if (element instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (element instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (element instanceof LocalDate d) {
            return PostgresDateText.date(new StringBuilder(), d).toString();
        }
        if (element instanceof LocalDateTime t) {
            return PostgresDateText.dateTime(new StringBuilder(), t).toString();
        }
        if (element instanceof Instant i) {
            return PostgresDateText.instant(new StringBuilder(), i).toString();
        }
        throw new TapflowException("an array element of type " + element.getClass().getSimpleName()
                + " has no PostgreSQL array text in tapflow");
    }
}
