package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.RowValues;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Join values and row identities as strings, the keys lookup state is partitioned and stored by. Join values are
 * compared by value: a number by its exact decimal value whatever its type (INT 5, BIGINT 5, DECIMAL 5.00 and DOUBLE
 * 5.0 all match; 5 and 5.1 do not, nor DOUBLE 0.1, whose binary value is not 1/10, and DECIMAL 0.1), everything else
 * by its text ({@link RowValues#format}), so strings stay case-sensitive. Integers and strings have the same keys as
 * before numbers were normalized, so state written then is found under the same keys.
 */
public final class JoinKeys {
    private JoinKeys() {}

    /** The join key of a row, or {@link LookupRecord#NO_JOIN_KEY} when a join field is NULL (or the row is absent). */
    public static String of(Map<String, Object> row, List<String> fields) {
        if (row == null) {
            return LookupRecord.NO_JOIN_KEY;
        }
        StringBuilder key = new StringBuilder();
        for (String field : fields) {
            Object value = row.get(field);
            if (value == null) {
                return LookupRecord.NO_JOIN_KEY;
            }
            key.append(joinValue(value)).append('\u0001');
        }
        return key.toString();
    }

    /** The text one join value is matched by. */
    static String joinValue(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            // new BigDecimal(double) is the exact binary value: no rounding makes two different numbers equal.
            return joinValue(new BigDecimal(((Number) value).doubleValue()));
        }
        return RowValues.format(value);
    }

    /**
     * The identity of the row an event changes: its table and source key, the key as {@link RowValues#format} writes
     * a row (the same text, so state keyed by it stays where it is), built without a stream: it is computed for every
     * record at every step of a lookup.
     */
    public static String rowKey(ChangeEvent event) {
        Map<String, Object> key = event.key();
        if (key == null) {
            return event.table() + "\u0001null";
        }
        StringBuilder text = new StringBuilder(event.table().length() + 16).append(event.table()).append("\u0001{");
        boolean first = true;
        for (Map.Entry<String, Object> e : key.entrySet()) {
            text.append(first ? "" : ", ").append(e.getKey()).append('=').append(RowValues.format(e.getValue()));
            first = false;
        }
        return text.append('}').toString();
    }
}
