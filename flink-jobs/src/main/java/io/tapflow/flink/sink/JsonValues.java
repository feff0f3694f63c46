package io.tapflow.flink.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

/**
 * Row values as JSON, the one type table of the JSON targets (Elasticsearch documents, Kafka messages). Nothing is
 * rounded: DECIMAL is exact decimal text ("12.50", a JSON string, since JSON readers parse numbers as doubles);
 * FLOAT is the number with the float's own shortest digits; DATE is {@code yyyy-MM-dd}; TIME
 * {@code HH:mm:ss.ffffff}; DATETIME (wall clock) {@code yyyy-MM-ddTHH:mm:ss.ffffff}; TIMESTAMP the UTC instant
 * {@code yyyy-MM-ddTHH:mm:ss.ffffffZ} (nine fraction digits where a value has nanoseconds); a MySQL TIME duration
 * {@code [-]HH:MM:SS[.ffffff]} as MySQL prints it ({@link DurationText}); bytes base64. NaN and infinities have no JSON form and are refused.
 * An embedded row (lookup) is a JSON object and an embedded array a JSON array, their values by the same rules; this is
 * also the text JDBC targets write into an embedded row's json/jsonb column.
 */
public final class JsonValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter NANOS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS");
    private static final DateTimeFormatter TIME_MICROS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME_NANOS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS");

    private JsonValues() {}

    /** The row as a JSON object, fields in row order; a value without a JSON form fails naming its field. */
    public static ObjectNode row(Map<String, Object> row) {
        ObjectNode node = NODES.objectNode();
        row.forEach((field, value) -> {
            try {
                node.set(field, value(value));
            } catch (TapflowException e) {
                throw new TapflowException("field '" + field + "': " + e.getMessage());
            }
        });
        return node;
    }

    public static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof BigDecimal d) {
            return NODES.textNode(d.toPlainString());
        }
        if (value instanceof Float f) {
            requireFinite(f.isNaN() || f.isInfinite(), f);
            // A BigDecimal has no negative zero: -0.0 would become 0.0, a sign flip. Written as the float itself, it
            // keeps its sign (Jackson writes Float.toString); every other float as the exact decimal of its own digits.
            return f == 0f ? NODES.numberNode(f) : NODES.numberNode(new BigDecimal(Float.toString(f)));
        }
        if (value instanceof Double d) {
            requireFinite(d.isNaN() || d.isInfinite(), d);
            return NODES.numberNode(d);
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> embedded) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) embedded;
            return row(fields);
        }
        if (value instanceof java.util.List<?> array) {
            com.fasterxml.jackson.databind.node.ArrayNode node = NODES.arrayNode();
            array.forEach(element -> node.add(value(element)));
            return node;
        }
        return NODES.textNode(text(value));
    }

    /**
     * The text form of a value, as {@link #value} writes it (without JSON quoting); for document ids and message keys.
     */
    public static String text(Object value) {
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof LocalDateTime t) {
            return (t.getNano() % 1000 == 0 ? MICROS : NANOS).format(t);
        }
        if (value instanceof Instant i) {
            LocalDateTime utc = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
            return (utc.getNano() % 1000 == 0 ? MICROS : NANOS).format(utc) + "Z";
        }
        if (value instanceof LocalTime t) {
            return (t.getNano() % 1000 == 0 ? TIME_MICROS : TIME_NANOS).format(t);
        }
        if (value instanceof Duration d) {
            return DurationText.format(d);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof String
                || value instanceof Float || value instanceof Double) {
            return value.toString();
        }
        throw new TapflowException("a value of type " + (value == null ? "null" : value.getClass().getName())
                + " has no JSON form; tapflow writes Boolean, Integer, Long, BigDecimal, Float, Double, String, byte[],"
                + " LocalDate, LocalTime, LocalDateTime, Instant and Duration");
    }

    private static void requireFinite(boolean notFinite, Object value) {
        if (notFinite) {
            throw new TapflowException("value " + value + " has no JSON form (JSON numbers are finite)");
        }
    }
}
