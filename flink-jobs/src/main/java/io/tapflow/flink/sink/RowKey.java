package io.tapflow.flink.sink;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.RowValues;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The values of a row's key fields, with value equality (byte[] compared by content). */
public final class RowKey {
    private final Object[] values;
    private final int hash;

    private RowKey(Object[] values) {
        this.values = values;
        int h = 1;
        for (Object v : values) {
            h = 31 * h + RowValues.valueHash(v);
        }
        this.hash = h;
    }

    public static RowKey of(List<String> keyFields, Map<String, Object> row, String table) {
        Object[] values = new Object[keyFields.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = row.get(keyFields.get(i));
            if (v == null) {
                throw new TapflowException("a row of " + table + " has no value for key field '" + keyFields.get(i)
                        + "'; key fields must never be null: " + RowValues.format(row));
            }
            values[i] = v;
        }
        return new RowKey(values);
    }

    public Object get(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RowKey other) || other.hash != hash || other.values.length != values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!RowValues.valuesEqual(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.stream(values).map(RowValues::format).toList().toString();
    }
}
