package io.tapflow.flink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows a JSON target holds (a Kafka topic's debezium-json messages, an Elasticsearch index's documents), each
 * field as a comparable text: {@code null}, {@code number <exact decimal>} (a negative zero as {@code -0}, which a
 * JSON reader into BigDecimal or a tree of exact numbers would turn into 0), {@code text <string or true/false>}, or
 * {@code json <elements>} for an array. Read from the JSON text token by token, so every number is read as written.
 */
final class JsonTargetRows {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonTargetRows() {}

    /** The latest row of each key in a debezium-json topic (a delete removes it), keyed by the whole row. */
    static Map<String, Map<String, String>> kafka(String topic) {
        Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
        for (KafkaTopicReader.Message m : KafkaTopicReader.read(topic, false)) {
            Map<String, String> after = m.value() == null ? null : object(m.value(), "after");
            if (after == null) {
                byKey.remove(m.key());
            } else {
                byKey.put(m.key(), after);
            }
        }
        return byWholeRow(byKey.values());
    }

    /** Every document of an index, as its _source; empty when the index is missing. */
    static Map<String, Map<String, String>> elasticsearch(String index) {
        ElasticsearchDocuments.request("POST", "/" + index + "/_refresh", null);
        String answer = ElasticsearchDocuments.requestText("GET", "/" + index + "/_search?size=10000", null);
        List<Map<String, String>> docs = new ArrayList<>();
        try (JsonParser p = JSON.createParser(answer)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "_source".equals(p.currentName())) {
                    p.nextToken();
                    docs.add(object(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byWholeRow(docs);
    }

    /** The fields of a JSON object's text, in the same comparable form (for expected rows written out as JSON). */
    static Map<String, String> fields(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            return object(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows keyed by their sorted text, as SakilaITCase.awaitSame compares them. */
    static Map<String, Map<String, String>> byWholeRow(Iterable<Map<String, String>> rows) {
        Map<String, Map<String, String>> byRow = new TreeMap<>();
        rows.forEach(row -> byRow.put(new TreeMap<>(row).toString(), row));
        return byRow;
    }

    /** The comparable text of a JSON number as written: its exact value, a negative zero as {@code -0}. */
    static String number(String written) {
        BigDecimal value = new BigDecimal(written);
        return value.signum() == 0 && written.startsWith("-") ? "-0" : value.stripTrailingZeros().toPlainString();
    }

    /** The fields of the top-level object's field {@code field} of the JSON text, or null if it is null. */
    private static Map<String, String> object(String json, String field) {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(field)) {
                    return p.currentToken() == JsonToken.START_OBJECT ? object(p) : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields of the object whose START_OBJECT the parser is at. */
    private static Map<String, String> object(JsonParser p) throws IOException {
        Map<String, String> row = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            p.nextToken();
            row.put(name, value(p));
        }
        return row;
    }

    private static String value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> "null";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + number(p.getText());
            case START_ARRAY -> {
                List<String> elements = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(value(p));
                }
                yield "json " + elements;
            }
            case START_OBJECT -> throw new IllegalStateException("an object field, which these rows do not hold: " + p.currentName());
            default -> "text " + p.getText();
        };
    }
}
