package io.tapflow.flink.source;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.RowValues;
import java.util.Map;

/**
 * A source value no tapflow row value can hold exactly (a PostgreSQL {@code infinity} timestamp, a numeric NaN, a
 * time of 24:00:00, ...), as the converter met it. {@link ChangeEventDeserializer} refuses the change with a message
 * that names table, column and row. Never a row value.
 *
 * @param value  the value as the source gave it
 * @param reason why it cannot be represented, and what is allowed
 */
public record RefusedValue(String value, String reason) {

    /** PostgreSQL's time 24:00:00 (or beyond): the same refusal from the snapshot and from the change stream. */
    public static RefusedValue timeOfDay(String text) {
        return new RefusedValue(text, "it is not a time of day from 00:00:00 to 23:59:59.999999, which is what tapflow "
                + "maps PostgreSQL's time to");
    }

    /** PostgreSQL's numeric NaN, Infinity and -Infinity. */
    public static RefusedValue specialNumber(String text) {
        return new RefusedValue(text, "PostgreSQL's numeric " + text + " is no number a decimal can hold (a float or "
                + "double column can)");
    }

    /** PostgreSQL's infinity and -infinity dates and timestamps. */
    public static RefusedValue infinity(String text) {
        return new RefusedValue(text, "PostgreSQL's " + text + " is no date or time any target can hold");
    }

    /** Throws for the first refused value of the row, naming table, column and row; nothing for a row without one. */
    public static void refuseIn(String table, Map<String, Object> row, Map<String, Object> key) {
        if (row == null) {
            return;
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof RefusedValue refused) {
                throw new TapflowException("table " + table + " column " + e.getKey() + " row " + RowValues.format(key)
                        + ": the value '" + refused.value() + "' is refused: " + refused.reason()
                        + "; correct the value in the source");
            }
        }
    }
}
