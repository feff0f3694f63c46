package io.tapflow.flink.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.flink.event.RowValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Arrays;

/**
 * Whether a value the pipeline should have written equals the one the target holds, across the conversions the
 * targets document: any integer width or decimal scale for the same number, booleans as 0/1 (PostgreSQL bool into
 * MySQL tinyint(1)), a float as its decimal digits, a time of day as MySQL TIME, JSON text as the same document
 * (PostgreSQL jsonb and MySQL json reorder keys and spaces), a double into a numeric column at that column's scale,
 * and a value written into a column of another type as its text. Nothing else is equal: one digit, one microsecond
 * or one byte apart is a difference.
 */
final class ValueMatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ValueMatch() {}

    /** The value in the form both comparison and {@link KeyOrder} use: numbers as BigDecimal, floats as their digits. */
    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Float f) {
            return Double.parseDouble(Float.toString(f));
        }
        return v;
    }

    static boolean same(Object expected, Object actual, boolean json) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        // Most values arrive as the same type with the same value: equals of one class is never looser than the rules
        // below (BigDecimal's equals also needs the same scale, Double's the same bits), so it decides them at once.
        if (expected.getClass() == actual.getClass() && expected.equals(actual)) {
            return true;
        }
        Object x = asNumber(normalize(expected));
        Object y = asNumber(normalize(actual));
        if (x instanceof BigDecimal p && y instanceof BigDecimal q) {
            return p.compareTo(q) == 0;
        }
        if (x instanceof Double d && y instanceof BigDecimal q && Double.isFinite(d)) {
            return new BigDecimal(Double.toString(d)).setScale(Math.max(0, q.scale()), RoundingMode.HALF_UP).compareTo(q) == 0;
        }
        if (x instanceof BigDecimal p && y instanceof Double d) {
            return p.doubleValue() == d;
        }
        if (x instanceof byte[] p && y instanceof byte[] q) {
            return Arrays.equals(p, q);
        }
        if (x instanceof LocalTime t && y instanceof Duration d) {
            return Duration.ofNanos(t.toNanoOfDay()).equals(d);
        }
        if (x instanceof String s && y instanceof String t) {
            return s.equals(t) || json && sameJson(s, t);
        }
        if (x.equals(y)) {
            return true;
        }
        // A value written into a column of another type (a UDF's text into a date column, say): the database parsed it.
        return x.getClass() != y.getClass() && text(x).equals(text(y));
    }

    private static Object asNumber(Object v) {
        return v instanceof Boolean b ? (b ? BigDecimal.ONE : BigDecimal.ZERO) : v;
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : RowValues.format(v);
    }

    private static boolean sameJson(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
