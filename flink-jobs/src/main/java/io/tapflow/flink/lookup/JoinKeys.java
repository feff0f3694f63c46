package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.RowValues;
import java.util.List;
import java.util.Map;

/**
 * Join values and row identities as strings, the keys lookup state is partitioned and stored by. Values are compared
 * by their text ({@link RowValues#format}), so an INT on one side matches a BIGINT of the same value on the other.
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
            key.append(RowValues.format(value)).append('\u0001');
        }
        return key.toString();
    }

    /** The identity of the row an event changes: its table and source key. */
    public static String rowKey(ChangeEvent event) {
        return event.table() + "\u0001" + RowValues.format(event.key());
    }
}
