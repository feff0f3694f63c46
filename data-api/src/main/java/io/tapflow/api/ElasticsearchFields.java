package io.tapflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An index mapping as API columns, and document values as the typed values the other backends return. Only fields
 * Elasticsearch indexes exactly are filterable and sortable: numbers, booleans, dates, and {@code keyword}s without
 * {@code ignore_above} (a longer value would be missing from the index, so a filter would not see it and the sort would
 * put it last). {@code text} fields, objects and keywords with {@code ignore_above} are returned, not filterable.
 */
final class ElasticsearchFields {
    private ElasticsearchFields() {}

    /** The top-level fields of a mapping's {@code properties}, in mapping order; every field may be missing (nullable). */
    static Map<String, Column> columns(JsonNode properties) {
        Map<String, Column> columns = new LinkedHashMap<>();
        properties.fields().forEachRemaining(f -> {
            JsonNode m = f.getValue();
            String type = m.path("type").asText(m.has("properties") ? "object" : "unknown");
            String described = type + (m.has("format") ? " (" + m.get("format").asText() + ")" : "")
                    + (m.has("scaling_factor") ? " (scaling_factor " + m.get("scaling_factor").asText() + ")" : "")
                    + (m.has("ignore_above") ? " (ignore_above " + m.get("ignore_above").asText() + ")" : "");
            columns.put(f.getKey(), new Column(f.getKey(), typeOf(type, m), true, described));
        });
        return columns;
    }

    static ColumnType typeOf(String type, JsonNode mapping) {
        return switch (type) {
            case "long", "integer", "short", "byte" -> ColumnType.INTEGER;
            case "scaled_float" -> ColumnType.DECIMAL;
            case "double", "float", "half_float" -> ColumnType.DOUBLE;
            case "boolean" -> ColumnType.BOOLEAN;
            case "keyword", "constant_keyword" -> mapping.has("ignore_above") ? ColumnType.OTHER : ColumnType.STRING;
            case "date", "date_nanos" -> dateType(mapping.path("format").asText(""));
            default -> ColumnType.OTHER;
        };
    }

    /**
     * tapflow's sink writes DATE as {@code yyyy-MM-dd}, DATETIME without and TIMESTAMP with a zone; the default format
     * ({@code strict_date_optional_time||epoch_millis}) reads zone-less values as UTC, so those fields are instants.
     */
    private static ColumnType dateType(String format) {
        if (format.equals("yyyy-MM-dd") || format.equals("strict_date") || format.equals("date")) {
            return ColumnType.DATE;
        }
        if (format.contains("HH") && !format.contains("X") && !format.contains("Z") && !format.contains("||")) {
            return ColumnType.DATETIME;
        }
        return ColumnType.TIMESTAMP;
    }

    /** The document's value as the column's Java type, or null when it cannot be one (the caller names the document). */
    static Object value(Column column, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return NULL;
        }
        return switch (column.type()) {
            case INTEGER -> v.isIntegralNumber() ? v.numberValue() : v.isTextual() ? integer(v.asText()) : null;
            // scaled_float documents hold the exact text tapflow wrote ("12.50"), or a number kept as written.
            case DECIMAL, DOUBLE -> v.isNumber() ? v.decimalValue() : v.isTextual() ? decimal(v.asText()) : null;
            case BOOLEAN -> v.isBoolean() ? v.booleanValue() : v.isTextual() ? ColumnType.BOOLEAN.parse(v.asText()) : null;
            case STRING -> v.isValueNode() ? v.asText() : null;
            case DATE -> v.isTextual() ? ColumnType.DATE.parse(v.asText()) : null;
            case DATETIME -> v.isTextual() ? ColumnType.DATETIME.parse(v.asText()) : null;
            case TIMESTAMP -> timestamp(v);
            default -> ElasticsearchBackend.JSON.convertValue(v, Object.class);
        };
    }

    /** Marks a missing or null field apart from a value that cannot be read (null). */
    static final Object NULL = new Object();

    private static Object timestamp(JsonNode v) {
        if (v.isIntegralNumber()) {
            return Instant.ofEpochMilli(v.longValue()).atOffset(ZoneOffset.UTC); // epoch_millis, which the default format takes
        }
        if (!v.isTextual()) {
            return null;
        }
        Object t = ColumnType.TIMESTAMP.parse(v.asText());
        if (t == null && ColumnType.DATE.parse(v.asText()) instanceof LocalDate d) {
            return d.atStartOfDay().atOffset(ZoneOffset.UTC); // a date alone is its UTC midnight, as Elasticsearch reads it
        }
        return t;
    }

    private static Object integer(String text) {
        try {
            BigInteger i = new BigInteger(text.strip());
            return i.bitLength() < 64 ? (Object) i.longValue() : i;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
