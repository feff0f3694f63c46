package io.tapflow.flink.schema;

import java.io.Serializable;

/**
 * The target rows a source table's TRUNCATE deletes: every row of the target table when the truncated table is its
 * only writer, or, in a union whose rows carry their source table in a field, the rows whose field holds that
 * table's value.
 */
public record TruncateScope(String field, String value) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final TruncateScope WHOLE_TABLE = new TruncateScope(null, null);

    public boolean wholeTable() {
        return field == null;
    }

    /** For the log: {@code every row of t}, or {@code the rows of t whose src is 'shop.a'}. */
    public String describe(String table) {
        return wholeTable() ? "every row of " + table : "the rows of " + table + " whose " + field + " is '" + value + "'";
    }
}
