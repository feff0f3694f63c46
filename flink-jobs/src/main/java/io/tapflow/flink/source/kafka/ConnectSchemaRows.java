package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Rows of messages in Kafka Connect's JSON envelope ({@code {"schema": ..., "payload": ...}}, as Debezium writes with
 * schemas on): the columns the schema declares, and the payload's values in the JSON forms of tapflow's value table.
 * Connect encodes some values for its own types (a DECIMAL as the base64 of its unscaled two's-complement bytes, a
 * DATE as days since 1970, a DATETIME(6) as microseconds); they are decoded here with the schema of the message that
 * carries them, so the column conversion ({@link KafkaColumnValues}) is the same as for declared columns.
 */
final class ConnectSchemaRows {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ConnectSchemaRows() {}

    /** True when the message is a Connect envelope. */
    static boolean isEnvelope(JsonNode message) {
        return message.isObject() && message.has("schema") && message.has("payload") && message.get("schema").isObject();
    }

    /**
     * The schema of the row: debezium-json's {@code after} (or {@code before}) struct, or for plain json the message's
     * struct itself; null when there is none.
     */
    static JsonNode rowSchema(JsonNode schema, String format) {
        if (!format.equals("debezium-json")) {
            return "struct".equals(schema.path("type").asText()) ? schema : null;
        }
        JsonNode before = null;
        for (JsonNode field : schema.path("fields")) {
            if (field.path("field").asText().equals("after")) {
                return field;
            }
            if (field.path("field").asText().equals("before")) {
                before = field;
            }
        }
        return before;
    }

    /** The columns of a row schema, in its field order; a field of a type without a column type is JSON text. */
    static List<Column> columns(JsonNode rowSchema) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode field : rowSchema.path("fields")) {
            columns.add(column(field));
        }
        return columns;
    }

    private static Column column(JsonNode field) {
        String name = field.path("field").asText();
        boolean nullable = field.path("optional").asBoolean(true);
        String logical = logicalName(field);
        JsonNode parameters = field.path("parameters");
        return switch (logical) {
            case "org.apache.kafka.connect.data.Decimal" -> {
                int scale = parameters.path("scale").asInt(0);
                int precision = parameters.path("connect.decimal.precision").asInt(-1);
                yield precision > 0 && precision <= 65 && scale <= 30
                        ? new Column(name, "decimal", "decimal(" + precision + "," + scale + ")", -1, precision, scale, nullable, false)
                        : new Column(name, "decimal", "decimal(65,30)", -1, -1, -1, nullable, false);
            }
            case "io.debezium.data.VariableScaleDecimal" -> new Column(name, "decimal", "decimal(65,30)", -1, -1, -1, nullable, false);
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> plain(name, "date", "date", nullable);
            case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" -> temporal(name, "datetime", 3, nullable);
            case "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp" -> temporal(name, "datetime", 6, nullable);
            case "io.debezium.time.ZonedTimestamp" -> temporal(name, "timestamp", 6, nullable);
            case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" -> temporal(name, "time", 3, nullable);
            case "io.debezium.time.MicroTime", "io.debezium.time.NanoTime" -> temporal(name, "time", 6, nullable);
            case "io.debezium.data.Json" -> plain(name, "json", "json", nullable);
            case "io.debezium.time.Year" -> plain(name, "int", "int", nullable);
            default -> switch (field.path("type").asText()) {
                case "int8" -> plain(name, "tinyint", "tinyint", nullable);
                case "int16" -> plain(name, "smallint", "smallint", nullable);
                case "int32" -> plain(name, "int", "int", nullable);
                case "int64" -> plain(name, "bigint", "bigint", nullable);
                // Connect's JSON schema names FLOAT32 and FLOAT64 "float" and "double".
                case "float", "float32" -> plain(name, "float", "float", nullable);
                case "double", "float64" -> plain(name, "double", "double", nullable);
                case "boolean" -> plain(name, "boolean", "tinyint(1)", nullable);
                case "string" -> plain(name, "text", "longtext", nullable);
                case "bytes" -> plain(name, "longblob", "longblob", nullable);
                // Structs (Debezium's geometry), arrays and maps: their JSON text.
                default -> plain(name, "json", "json", nullable);
            };
        };
    }

    /**
     * The field's logical type name. Flink CDC's shaded jar relocates Kafka Connect, string constants included, so
     * the messages its JSON deserializer writes name {@code org.apache.flink.cdc.connectors.shaded.org.apache.kafka
     * .connect.data.Decimal}: read as Connect's own name.
     */
    private static String logicalName(JsonNode field) {
        String name = field.path("name").asText("");
        int connect = name.indexOf("org.apache.kafka.connect.");
        return connect > 0 ? name.substring(connect) : name;
    }

    private static Column plain(String name, String dataType, String columnType, boolean nullable) {
        return new Column(name, dataType, columnType, -1, -1, -1, nullable, false);
    }

    private static Column temporal(String name, String dataType, int precision, boolean nullable) {
        return new Column(name, dataType, dataType + "(" + precision + ")", -1, precision, -1, nullable, false);
    }

    /** The row with Connect's encodings of the schema's logical types turned into tapflow's JSON forms. */
    static ObjectNode decode(JsonNode rowSchema, ObjectNode row) {
        if (row == null || rowSchema == null) {
            return row;
        }
        ObjectNode decoded = row.deepCopy();
        for (JsonNode field : rowSchema.path("fields")) {
            String name = field.path("field").asText();
            JsonNode value = row.get(name);
            if (value != null && !value.isNull()) {
                try {
                    decoded.set(name, decodeValue(field, value));
                } catch (RuntimeException e) {
                    throw new TapflowException("field '" + name + "' holds " + value + ", which is not a value of its schema type "
                            + field.path("name").asText(field.path("type").asText()));
                }
            }
        }
        return decoded;
    }

    private static JsonNode decodeValue(JsonNode field, JsonNode value) {
        return switch (logicalName(field)) {
            case "org.apache.kafka.connect.data.Decimal" -> NODES.textNode(new BigDecimal(
                    new BigInteger(Base64.getDecoder().decode(value.asText())), field.path("parameters").path("scale").asInt(0))
                    .toPlainString());
            case "io.debezium.data.VariableScaleDecimal" -> NODES.textNode(new BigDecimal(
                    new BigInteger(Base64.getDecoder().decode(value.path("value").asText())), value.path("scale").asInt())
                    .toPlainString());
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" ->
                    NODES.textNode(LocalDate.ofEpochDay(value.longValue()).toString());
            case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" -> dateTime(value.longValue(), 1_000_000);
            case "io.debezium.time.MicroTimestamp" -> dateTime(value.longValue(), 1_000);
            case "io.debezium.time.NanoTimestamp" -> dateTime(value.longValue(), 1);
            case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" ->
                    NODES.textNode(DurationText.format(Duration.ofMillis(value.longValue())));
            case "io.debezium.time.MicroTime" -> NODES.textNode(DurationText.format(Duration.ofNanos(value.longValue() * 1_000)));
            case "io.debezium.time.NanoTime" -> NODES.textNode(DurationText.format(Duration.ofNanos(value.longValue())));
            default -> value;
        };
    }

    /** A wall-clock date-time from a count of units since 1970-01-01T00:00 ({@code nanosPerUnit} nanoseconds each). */
    private static JsonNode dateTime(long units, long nanosPerUnit) {
        long perSecond = 1_000_000_000L / nanosPerUnit;
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(units, perSecond),
                (int) (Math.floorMod(units, perSecond) * nanosPerUnit), ZoneOffset.UTC);
        return NODES.textNode(t.toString());
    }
}
