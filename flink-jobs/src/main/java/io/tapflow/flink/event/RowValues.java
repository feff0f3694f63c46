package io.tapflow.flink.event;

import io.tapflow.dsl.DurationText;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The value types a row may hold, and equality/formatting over them. Every source converts into exactly these, so
 * steps, sinks and the serializer deal with one small, closed set:
 * Boolean, Integer, Long, BigDecimal, Float, Double, String, byte[], LocalDate, LocalTime (a time of day), LocalDateTime
 * (wall-clock, no zone), Instant (an absolute point in time) and Duration (a signed span such as MySQL's TIME, which
 * reaches -838:59:59..838:59:59). A lookup adds one more kind: an embedded row as a {@code Map<String, Object>}
 * (a LinkedHashMap in field order) and an embedded array as a {@code List} of such maps, whose values are again
 * canonical values. A PostgreSQL source's one-dimensional array column is a {@code List} of its elements' values
 * (Strings, NULL elements kept).
 */
public final class RowValues {
    private RowValues() {}

    public static boolean isCanonical(Object value) {
        return value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof BigDecimal || value instanceof Float || value instanceof Double
                || value instanceof String || value instanceof byte[] || value instanceof LocalDate
                || value instanceof LocalTime || value instanceof LocalDateTime || value instanceof Instant
                || value instanceof Duration || value instanceof Map<?, ?> || value instanceof java.util.List<?>;
    }

    public static boolean valuesEqual(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return rowsEqual(embedded(x), embedded(y));
        }
        if (a instanceof java.util.List<?> x && b instanceof java.util.List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valuesEqual(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    public static int valueHash(Object value) {
        if (value instanceof Map<?, ?> map) {
            return rowHash(embedded(map));
        }
        if (value instanceof java.util.List<?> list) {
            int h = 1;
            for (Object element : list) {
                h = 31 * h + valueHash(element);
            }
            return h;
        }
        return value instanceof byte[] bytes ? Arrays.hashCode(bytes) : Objects.hashCode(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> embedded(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A deep copy of a value: embedded rows and arrays are mutable maps and lists, byte[] a mutable array. */
    public static Object copyValue(Object value) {
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            embedded(map).forEach((k, v) -> copy.put(k, copyValue(v)));
            return copy;
        }
        if (value instanceof java.util.List<?> list) {
            java.util.List<Object> copy = new java.util.ArrayList<>(list.size());
            list.forEach(v -> copy.add(copyValue(v)));
            return copy;
        }
        return value;
    }

    static boolean rowsEqual(Map<String, Object> a, Map<String, Object> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Object>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, Object>> ib = b.entrySet().iterator();
        while (ia.hasNext()) {
            Map.Entry<String, Object> ea = ia.next();
            Map.Entry<String, Object> eb = ib.next();
            if (!ea.getKey().equals(eb.getKey()) || !valuesEqual(ea.getValue(), eb.getValue())) {
                return false;
            }
        }
        return true;
    }

    static int rowHash(Map<String, Object> row) {
        int h = 1;
        for (Map.Entry<String, Object> e : row.entrySet()) {
            h = 31 * h + e.getKey().hashCode() ^ valueHash(e.getValue());
        }
        return h;
    }

    public static String format(Object value) {
        if (value instanceof byte[] bytes) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Duration d) {
            return DurationText.format(d);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(RowValues::format).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
