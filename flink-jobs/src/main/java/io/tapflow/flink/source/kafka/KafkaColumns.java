package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.flink.schema.Column;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Columns of a topic inferred from the JSON rows of a sample of its messages (values are read by
 * {@link KafkaColumnValues}). A field that
 * is always a whole number is a BIGINT, one with a fraction a DECIMAL (kept exact), true/false a BOOLEAN, anything
 * else (text, including the exact decimal text tapflow's own Kafka target writes, dates, nested JSON) TEXT; a field
 * seen only as null is TEXT. Nested objects and arrays arrive as their JSON text.
 */
final class KafkaColumns {
    private KafkaColumns() {}

    static List<Column> infer(List<JsonNode> rows) {
        Map<String, String> types = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String seen = typeOf(f.getValue());
                types.merge(f.getKey(), seen, KafkaColumns::wider);
            }
        }
        List<Column> columns = new ArrayList<>();
        types.forEach((name, type) -> columns.add(switch (type) {
            case "bigint" -> new Column(name, "bigint", "bigint", -1, 19, 0, true, false);
            // Unbounded: later messages may carry more digits than the sample did.
            case "decimal" -> new Column(name, "decimal", "decimal", -1, -1, -1, true, false);
            case "boolean" -> new Column(name, "boolean", "boolean", -1, 1, -1, true, false);
            default -> new Column(name, "text", "text", 65_535, -1, -1, true, false);
        }));
        return columns;
    }

    private static String typeOf(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isIntegralNumber()) {
            return "bigint";
        }
        if (value.isNumber()) {
            return "decimal";
        }
        return value.isBoolean() ? "boolean" : "text";
    }

    private static String wider(String a, String b) {
        if (a.equals(b) || b.equals("null")) {
            return a;
        }
        if (a.equals("null")) {
            return b;
        }
        if (a.equals("bigint") && b.equals("decimal") || a.equals("decimal") && b.equals("bigint")) {
            return "decimal";
        }
        return "text";
    }
}
