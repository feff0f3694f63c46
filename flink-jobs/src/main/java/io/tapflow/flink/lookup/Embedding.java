package io.tapflow.flink.lookup;

import io.tapflow.flink.event.RowValues;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How a lookup puts the matching looked-up rows into a parent row: as one object field (the first match by key, or
 * null), as an array field ordered by {@code arrayKey}, or flattened into {@code prefix + field} columns (nulls when
 * none matches).
 *
 * @param field         the embedded field; null when flattened
 * @param many          an array of every match rather than one row
 * @param arrayKey      the fields that order the array's elements (the looked-up table's key when the lookup names none)
 * @param flattenPrefix the prefix of flattened fields; null when embedded
 * @param childColumns  the looked-up rows' fields after their own steps, the flattened columns
 */
public record Embedding(String field, boolean many, List<String> arrayKey, String flattenPrefix, List<String> childColumns)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public Embedding {
        arrayKey = List.copyOf(arrayKey);
        childColumns = List.copyOf(childColumns);
    }

    /**
     * Adds the matches to {@code row}.
     *
     * @param children the looked-up rows at the parent's join key, in the order of their keys
     */
    public void embed(Map<String, Object> row, List<Map<String, Object>> children) {
        if (many) {
            List<Map<String, Object>> sorted = new ArrayList<>(children);
            sorted.sort(this::compareByArrayKey); // stable: equal array keys keep the order of their row keys
            List<Object> array = new ArrayList<>(sorted.size());
            sorted.forEach(child -> array.add(RowValues.copyValue(child)));
            row.put(field, array);
            return;
        }
        Map<String, Object> match = children.isEmpty() ? null : children.get(0);
        if (field != null) {
            row.put(field, match == null ? null : RowValues.copyValue(match));
            return;
        }
        for (String column : childColumns) {
            row.put(flattenPrefix + column, match == null ? null : RowValues.copyValue(match.get(column)));
        }
        if (match != null && match.size() > childColumns.size()) {
            // Columns the looked-up table gained while the job runs (schema changes): flattened too, never onto a
            // field the row has (a join field, as planning leaves out).
            match.forEach((column, value) -> {
                if (!childColumns.contains(column)) {
                    row.putIfAbsent(flattenPrefix + column, RowValues.copyValue(value));
                }
            });
        }
    }

    private int compareByArrayKey(Map<String, Object> a, Map<String, Object> b) {
        for (String key : arrayKey) {
            int c = VALUE_ORDER.compare(a.get(key), b.get(key));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** NULL first, numbers by value whatever their Java type, other comparable values naturally, the rest by text. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Object> VALUE_ORDER = (x, y) -> {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        if (x instanceof Number n && y instanceof Number m) {
            if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
                return Double.compare(n.doubleValue(), m.doubleValue());
            }
            return new BigDecimal(n.toString()).compareTo(new BigDecimal(m.toString()));
        }
        if (x instanceof Comparable c && x.getClass() == y.getClass()) {
            return c.compareTo(y);
        }
        return RowValues.format(x).compareTo(RowValues.format(y));
    };
}
