package io.tapflow.flink.source.postgres;

import io.tapflow.flink.source.RefusedValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PostgreSQL's text of a one-dimensional array ({@code {1,NULL,"b c"}}) into a List of its elements' row
 * values, NULL elements kept, by the element type: int2/int4 Integer, int8 Long, numeric BigDecimal, float4 Float,
 * float8 Double, bool Boolean, date LocalDate, timestamp LocalDateTime, timestamptz Instant, and the text of text,
 * varchar, char, uuid, json and jsonb elements. What the List cannot hold is a {@link RefusedValue}: a
 * multi-dimensional value ({@code {{1,2},{3,4}}}; a column declared int[] may hold one), an array indexed from
 * elsewhere than 1 ({@code [0:1]={a,b}}, whose indexes a List would shift), and an element no row value holds
 * (numeric NaN, date infinity).
 */
public final class PostgresArrayLiteral {
    private static final RefusedValue MULTI_DIMENSIONAL = new RefusedValue("(array)", "it is a multi-dimensional "
            + "array, which tapflow does not replicate (only one-dimensional arrays)");

    private PostgresArrayLiteral() {}

    /** Whether arrays of this element type (udt_name) are read. */
    public static boolean reads(String elementType) {
        return PostgresColumnTypes.ARRAY_ELEMENTS.contains(elementType);
    }

    /**
     * @param elementType the element's udt_name ({@code int4}, {@code timestamptz}, ...), one of
     *                    {@link PostgresColumnTypes#ARRAY_ELEMENTS}
     * @return a List, or a {@link RefusedValue}
     */
    public static Object parse(String elementType, String text) {
        if (text.startsWith("[")) {
            // Bounds are printed only when some dimension does not start at 1: "[2:3]={a,b}", "[1:1][0:1]={{a,b}}".
            String bounds = text.substring(0, text.indexOf('='));
            return bounds.indexOf('[', 1) > 0 ? MULTI_DIMENSIONAL : new RefusedValue(bounds + "=...", "its indexes "
                    + "run " + bounds + " instead of from 1, which a list of its elements cannot show (tapflow replicates "
                    + "arrays indexed from 1)");
        }
        List<Object> out = new ArrayList<>();
        int i = 1;
        int end = text.length() - 1;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '{') {
                return MULTI_DIMENSIONAL;
            }
            String element;
            boolean quoted = c == '"';
            if (quoted) {
                StringBuilder plain = new StringBuilder();
                for (i++; text.charAt(i) != '"'; i++) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                    plain.append(text.charAt(i));
                }
                i++;
                element = plain.toString();
            } else {
                int comma = text.indexOf(',', i);
                int stop = comma < 0 ? end : comma;
                element = text.substring(i, stop);
                i = stop;
            }
            i++; // the comma
            Object value = !quoted && element.equalsIgnoreCase("NULL") ? null : element(elementType, element);
            if (value instanceof RefusedValue) {
                return value;
            }
            out.add(value);
        }
        return out;
    }

    private static Object element(String type, String text) {
        return switch (type) {
            case "int2", "int4" -> Integer.parseInt(text);
            case "int8" -> Long.parseLong(text);
            case "numeric" -> switch (text) {
                case "NaN", "Infinity", "-Infinity" -> RefusedValue.specialNumber(text);
                default -> new BigDecimal(text);
            };
            case "float4" -> Float.parseFloat(text);
            case "float8" -> Double.parseDouble(text);
            case "bool" -> text.equals("t");
            case "date", "timestamp", "timestamptz" -> {
                Object value = PostgresTemporalText.parse(type.equals("date") ? "date"
                        : type.equals("timestamp") ? "datetime" : "instant", text);
                yield value == null ? RefusedValue.infinity(text) : value;
            }
            default -> text;
        };
    }
}
