package io.tapflow.flink.verify;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order both sides of a comparison are read in, key field by key field: numbers by value, text by code point
 * (the byte order of UTF-8, which MySQL's binary cast, PostgreSQL's "C" collation and MongoDB all follow), bytes
 * unsigned, times by time. Values are in {@link #keyForm} form.
 */
final class KeyOrder implements Comparator<List<Object>> {
    static final KeyOrder INSTANCE = new KeyOrder();

    /**
     * A key value as compared: whole numbers as Long (two Longs compare without making a BigDecimal of each, once per
     * row and side), everything else in {@link ValueMatch#normalize} form; a Long and a BigDecimal compare by value.
     */
    static Object keyForm(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        return v instanceof Long ? v : ValueMatch.normalize(v);
    }

    @Override
    public int compare(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof String s && b instanceof String t) {
            return compareCodePoints(s, t);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (isNumber(a) && isNumber(b)) {
            return decimal(a).compareTo(decimal(b));
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return typeName(a).compareTo(typeName(b));
    }

    /** Values of different types order by type; a Long is a number as BigDecimal is, so it orders with them. */
    private static String typeName(Object v) {
        return (v instanceof Long ? BigDecimal.class : v.getClass()).getName();
    }

    private static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof BigDecimal || v instanceof Double d && Double.isFinite(d);
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal d ? d : v instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal((Double) v);
    }

    private static int compareCodePoints(String s, String t) {
        int i = 0;
        int j = 0;
        while (i < s.length() && j < t.length()) {
            int a = s.codePointAt(i);
            int b = t.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(s.length() - i, t.length() - j);
    }
}
