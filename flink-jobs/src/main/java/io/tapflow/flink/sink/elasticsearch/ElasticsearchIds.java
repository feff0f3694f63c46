package io.tapflow.flink.sink.elasticsearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tapflow.flink.sink.JsonValues;
import io.tapflow.flink.sink.RowKey;

/**
 * Document ids from target keys. A single key field gives its value's text ({@code 42}, {@code ada}); a composite
 * key gives the JSON array of its values ({@code [1,"a"]}), whose quoting and escaping keep any two keys apart
 * ({@code [1,"a|"]} and {@code [1,"a","|"]} differ, as would no separator-joined form).
 */
public final class ElasticsearchIds {
    private ElasticsearchIds() {}

    public static String of(RowKey key) {
        if (key.size() == 1) {
            return JsonValues.text(key.get(0));
        }
        ArrayNode values = ElasticsearchClient.JSON.createArrayNode();
        for (int i = 0; i < key.size(); i++) {
            values.add(JsonValues.value(key.get(i)));
        }
        return values.toString();
    }
}
