package io.tapflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one Kafka message of an API's change topic says, in the formats tapflow's Kafka target writes and its Kafka
 * source reads (the datasource's {@code format}): debezium-json ({@code op} c/u/r a change of {@code after}, d a
 * delete of {@code before}; Debezium's tombstone after a delete is skipped), canal-json ({@code type}
 * INSERT/UPDATE a change, DELETE a delete, per row of {@code data}) and json (the row; a tombstone, or with
 * {@code json.op-field} the op {@code d}, a delete of the message key's row).
 */
final class TopicChanges {
    /** One event of the stream: {@code change} with the row's declared fields, or {@code delete} with its key fields. */
    record Event(String name, Map<String, Object> data) {}

    private final String format;
    private final String opField;
    private final List<String> fields;
    private final List<String> key;

    TopicChanges(DataSource kafka, List<String> fields, List<String> key) {
        this.format = kafka.options().getOrDefault("format", "debezium-json");
        this.opField = kafka.options().get("json.op-field");
        this.fields = List.copyOf(fields);
        this.key = List.copyOf(key);
    }

    /** The events of a message (none for a tombstone that only serves compaction); {@code messageKey} may be null. */
    List<Event> events(JsonNode messageKey, JsonNode value) {
        JsonNode v = value != null && value.has("payload") && value.has("schema") ? value.get("payload") : value;
        return switch (format) {
            case "canal-json" -> canal(v);
            case "json" -> json(messageKey, v);
            default -> debezium(messageKey, v);
        };
    }

    private List<Event> debezium(JsonNode messageKey, JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        String op = v.path("op").asText("");
        if (op.equals("d")) {
            return List.of(delete(v.hasNonNull("before") ? v.get("before") : messageKey));
        }
        return v.hasNonNull("after") ? List.of(change(v.get("after"))) : List.of();
    }

    private List<Event> canal(JsonNode v) {
        if (v == null || !v.path("data").isArray()) {
            return List.of();
        }
        boolean delete = v.path("type").asText("").equals("DELETE");
        List<Event> out = new ArrayList<>();
        v.get("data").forEach(row -> out.add(delete ? delete(row) : change(row)));
        return out;
    }

    private List<Event> json(JsonNode messageKey, JsonNode v) {
        if (v == null || v.isNull()) {
            return messageKey == null ? List.of() : List.of(delete(messageKey));
        }
        if (opField != null && v.path(opField).asText("").equals("d")) {
            return List.of(delete(v));
        }
        return List.of(change(v));
    }

    private Event change(JsonNode row) {
        return new Event("change", pick(row, fields));
    }

    private Event delete(JsonNode row) {
        return new Event("delete", pick(row, key));
    }

    /** The named fields the row has, values exactly as the message holds them (a field it lacks is left out, not null). */
    private static Map<String, Object> pick(JsonNode row, List<String> names) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (row != null) {
            names.stream().filter(row::has).forEach(f -> out.put(f, row.get(f)));
        }
        return out;
    }
}
