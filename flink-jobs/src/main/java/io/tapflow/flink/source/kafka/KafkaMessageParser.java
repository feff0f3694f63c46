package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.Op;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a Kafka message of one of the formats into changes with JSON rows: debezium-json (with or without the
 * {@code schema}/{@code payload} envelope, whose encoded values {@link ConnectSchemaRows} decodes; a tombstone after a
 * delete is skipped), canal-json (one change per row of
 * {@code data}), or plain json (the row; a tombstone is a delete of the message key's row; with an op field, that
 * field gives the operation). A truncate message (debezium-json op {@code t}, canal-json's TRUNCATE DDL message, json
 * with the op field {@code t}) is a change of operation TRUNCATE without rows. Anything else is a
 * {@link TapflowException} saying what was expected.
 */
final class KafkaMessageParser implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Numbers with a fraction stay exact decimals, with their trailing zeros. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private final String format;
    private final String opField;

    /**
     * One change in a message: the rows as JSON objects (null where absent), the source time, and the source table
     * the message names as {@code database.table} (debezium-json's {@code source.db}/{@code source.table}, canal-json's
     * {@code database}/{@code table}; null where it names none, as plain json).
     */
    record Parsed(Op op, ObjectNode before, ObjectNode after, long tsMs, String sourceTable) {
        Parsed(Op op, ObjectNode before, ObjectNode after, long tsMs) {
            this(op, before, after, tsMs, null);
        }

        ObjectNode latest() {
            return after != null ? after : before;
        }
    }

    KafkaMessageParser(String format, String opField) {
        this.format = format;
        this.opField = opField;
    }

    String format() {
        return format;
    }

    List<Parsed> parse(byte[] key, byte[] value, long timestamp) {
        if (value == null) {
            if (!format.equals("json")) {
                return List.of(); // Debezium writes a tombstone after each delete, for compaction only.
            }
            JsonNode keyRow = payload(read(key, "message key"));
            return List.of(new Parsed(Op.DELETE, object(keyRow, "message key of a tombstone"), null, timestamp));
        }
        JsonNode node = read(value, "message value");
        JsonNode rowSchema = rowSchema(node);
        List<Parsed> changes = switch (format) {
            case "debezium-json" -> List.of(debezium(payload(node), timestamp));
            case "canal-json" -> canal(node, timestamp);
            default -> List.of(plain(payload(node), timestamp));
        };
        if (rowSchema == null) {
            return changes;
        }
        return changes.stream().map(c -> new Parsed(c.op(), ConnectSchemaRows.decode(rowSchema, c.before()),
                ConnectSchemaRows.decode(rowSchema, c.after()), c.tsMs(), c.sourceTable())).toList();
    }

    /** The schema of the rows of a message in Kafka Connect's envelope (Debezium with schemas on), or null. */
    JsonNode rowSchema(JsonNode message) {
        return ConnectSchemaRows.isEnvelope(message) ? ConnectSchemaRows.rowSchema(message.get("schema"), format) : null;
    }

    /** The message key's fields as JSON, or null when the message has no key or it is not a JSON object. */
    static JsonNode keyObject(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            JsonNode node = payload(JSON.readTree(key));
            return node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode payload(JsonNode node) {
        return node.isObject() && node.has("payload") && node.has("schema") ? node.get("payload") : node;
    }

    private Parsed debezium(JsonNode node, long timestamp) {
        String op = node.path("op").asText("");
        Op parsed = switch (op) {
            case "r" -> Op.READ;
            case "c" -> Op.INSERT;
            case "u" -> Op.UPDATE;
            case "d" -> Op.DELETE;
            case "t" -> Op.TRUNCATE;
            default -> throw new TapflowException("not a debezium-json change: field 'op' is '" + op + "', expected c, u, d, r or t");
        };
        long ts = node.path("source").path("ts_ms").asLong(node.path("ts_ms").asLong(timestamp));
        String sourceTable = sourceTable(node.path("source").path("db"), node.path("source").path("table"));
        if (parsed == Op.TRUNCATE) {
            return new Parsed(parsed, null, null, ts, sourceTable);
        }
        ObjectNode before = optionalObject(node.get("before"), "before");
        ObjectNode after = optionalObject(node.get("after"), "after");
        if (parsed == Op.DELETE ? before == null : after == null) {
            throw new TapflowException("not a debezium-json change: op '" + op + "' without '" + (parsed == Op.DELETE ? "before" : "after") + "'");
        }
        return new Parsed(parsed, before, after, ts, sourceTable);
    }

    /** {@code database.table}, or the table alone without a database; null without a table. */
    private static String sourceTable(JsonNode database, JsonNode table) {
        if (!table.isTextual()) {
            return null;
        }
        return database.isTextual() ? database.asText() + "." + table.asText() : table.asText();
    }

    private List<Parsed> canal(JsonNode node, long timestamp) {
        String type = node.path("type").asText("");
        JsonNode data = node.path("data");
        String sourceTable = sourceTable(node.path("database"), node.path("table"));
        if (node.path("isDdl").asBoolean(false) && type.equals("TRUNCATE")) {
            return List.of(new Parsed(Op.TRUNCATE, null, null, node.path("es").asLong(timestamp), sourceTable));
        }
        if (!data.isArray()) {
            throw new TapflowException("not a canal-json change: no 'data' array");
        }
        long ts = node.path("es").asLong(timestamp);
        List<Parsed> changes = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ObjectNode row = object(data.get(i), "canal-json data row");
            switch (type) {
                case "INSERT" -> changes.add(new Parsed(Op.INSERT, null, row, ts, sourceTable));
                case "DELETE" -> changes.add(new Parsed(Op.DELETE, row, null, ts, sourceTable));
                case "UPDATE" -> {
                    ObjectNode before = row.deepCopy();
                    JsonNode old = node.path("old").path(i);
                    if (old.isObject()) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = old.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            before.set(e.getKey(), e.getValue());
                        }
                    }
                    changes.add(new Parsed(Op.UPDATE, before, row, ts, sourceTable));
                }
                default -> throw new TapflowException("not a canal-json change: 'type' is '" + type
                        + "', expected INSERT, UPDATE or DELETE");
            }
        }
        return changes;
    }

    private Parsed plain(JsonNode node, long timestamp) {
        ObjectNode row = object(node, "json message");
        if (opField == null || !row.has(opField)) {
            return new Parsed(Op.INSERT, null, row, timestamp);
        }
        String op = row.remove(opField).asText();
        return switch (op) {
            case "d" -> new Parsed(Op.DELETE, row, null, timestamp);
            case "u" -> new Parsed(Op.UPDATE, null, row, timestamp);
            case "c", "r" -> new Parsed(Op.INSERT, null, row, timestamp);
            case "t" -> new Parsed(Op.TRUNCATE, null, null, timestamp, truncateFields(row));
            default -> throw new TapflowException("field '" + opField + "' is '" + op + "', expected c, u, d, r or t");
        };
    }

    /**
     * What a json truncate message says besides its op field, e.g. {@code source_table=shop.t}: tapflow's Kafka target
     * adds the field that tells a union's tables apart, so such a message truncates one table of a union, and its rows
     * (which name no table) must not all be deleted. Null for a bare {@code {"__op":"t"}}.
     */
    private static String truncateFields(ObjectNode rest) {
        if (rest.isEmpty()) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        rest.fieldNames().forEachRemaining(name -> {
            JsonNode value = rest.get(name);
            fields.add(name + "=" + (value.isTextual() ? value.asText() : value.toString()));
        });
        return String.join(", ", fields);
    }

    private static JsonNode read(byte[] bytes, String what) {
        if (bytes == null) {
            throw new TapflowException("the " + what + " is empty; expected JSON");
        }
        try {
            return JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TapflowException("the " + what + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TapflowException("the " + what + " is not JSON: " + e.getMessage());
        }
    }

    private static ObjectNode object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new TapflowException("the " + what + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static ObjectNode optionalObject(JsonNode node, String field) {
        return node == null || node.isNull() ? null : object(node, "'" + field + "' field");
    }
}
