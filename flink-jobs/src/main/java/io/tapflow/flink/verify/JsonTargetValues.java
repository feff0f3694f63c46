package io.tapflow.flink.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.JsonValues;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values of the JSON targets (Elasticsearch documents, Kafka messages) as the comparison sees them. Both sides go
 * through the JSON form the sinks write ({@link JsonValues}): what the pipeline should have written is turned into
 * that JSON and read back exactly as a stored document is read. So a date-time is compared as its ISO text, bytes as
 * base64, a float by its digits; numbers become BigDecimal (exact, never via double), and so does the exact decimal
 * text the sinks write for DECIMAL, BIGINT UNSIGNED and BIT columns, so keys of those order by value.
 */
final class JsonTargetValues {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonTargetValues() {}

    /** A document or message row: each field by its planned column's type. */
    static Map<String, Object> row(JsonNode doc, TargetTable table) {
        Map<String, Object> row = new LinkedHashMap<>();
        doc.fields().forEachRemaining(f -> row.put(f.getKey(), value(f.getValue(), column(table, f.getKey()))));
        return row;
    }

    /**
     * The value as a JSON target holds it; a value without a JSON form (the sink refuses its row) stays as it is. A
     * value already in that form (a key read back from the target, to look its row up again) stays the same.
     */
    static Object stored(TargetTable table, String column, Object value) {
        if (value == null || value instanceof BigDecimal || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text) {
            return value(JSON.getNodeFactory().textNode(text), column(table, column));
        }
        try {
            return value(JSON.readTree(JsonValues.value(value).toString()), column(table, column));
        } catch (TapflowException | JsonProcessingException e) {
            return value;
        }
    }

    /**
     * A key value in the form the pipeline writes it, also when it was read back from the target (a number read back
     * as BigDecimal, for a column written as a JSON number): what a document id is made of.
     */
    static Object asWritten(TargetTable table, String column, Object value) {
        Column c = column(table, column);
        if (!(value instanceof BigDecimal d) || c != null && writtenAsDecimalText(c)) {
            return value;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException notWhole) {
            return d.doubleValue();
        }
    }

    static JsonNode parse(String json, String where) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TapflowException(where + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Object value(JsonNode node, Column column) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (column != null && writtenAsDecimalText(column)) {
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    return text;
                }
            }
            return text;
        }
        return node.toString();
    }

    private static boolean writtenAsDecimalText(Column c) {
        return switch (c.dataType()) {
            case "decimal", "numeric", "bit" -> true;
            case "bigint" -> c.unsigned();
            default -> false;
        };
    }

    private static Column column(TargetTable table, String name) {
        for (Column c : table.columns()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
