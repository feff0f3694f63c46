package io.tapflow.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the JSON targets (Elasticsearch documents, Kafka messages) hold for TypeMappingITCase's all_types rows. */
final class AllTypesJson {
    private AllTypesJson() {}

    /** The JSON of row {@code id} of TypeMappingITCase's all_types table (its VALUES), per the JSON type table. */
    static JsonNode row(int id) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("t_tiny", -128);
        doc.put("t_tiny_u", 255);
        doc.put("t_small", -32768);
        doc.put("t_small_u", 65535);
        doc.put("t_medium", -8388608);
        doc.put("t_int", Integer.MIN_VALUE);
        doc.put("t_int_u", 4294967295L);
        doc.put("t_big", Long.MIN_VALUE);
        doc.put("t_big_u", "18446744073709551615");
        doc.put("t_dec", "1234567890123456789012345678.0123456789");
        doc.put("t_float", 1.5);
        doc.put("t_double", 3.141592653589793);
        doc.put("t_char", "abc");
        doc.put("t_varchar", "😀 ünï");
        doc.put("t_text", "long text 😀");
        doc.put("t_binary", "AQIDBA==");
        doc.put("t_varbinary", "AP8=");
        doc.put("t_blob", "3q2+7w==");
        doc.put("t_date", "2024-02-29");
        doc.put("t_time", "23:59:59.123456");
        doc.put("t_datetime", "2024-02-29T13:14:15.123456");
        doc.put("t_timestamp", "2024-02-29T13:14:15.123456Z");
        doc.put("t_year", 2024);
        doc.put("t_bit1", true);
        doc.put("t_bit", 513);
        doc.put("t_enum", "b");
        doc.put("t_set", "x,z");
        doc.put("t_json", "{\"a\": [1, 2]}");
        return ElasticsearchDocuments.JSON.valueToTree(doc);
    }
}
