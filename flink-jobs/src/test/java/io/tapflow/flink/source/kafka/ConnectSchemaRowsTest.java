package io.tapflow.flink.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.flink.schema.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Columns and values from Kafka Connect's envelope, on a message of the shape Debezium's MySQL connector writes with
 * schemas on (default decimal handling: the unscaled bytes in base64; adaptive time precision). The real thing runs
 * in KafkaSourceColumnsITCase.
 */
class ConnectSchemaRowsTest {
    private static final String MESSAGE = """
            {"schema":{"type":"struct","fields":[
              {"type":"struct","optional":true,"field":"before","fields":[]},
              {"type":"struct","optional":true,"name":"db.t.Value","field":"after","fields":[
                {"type":"int32","optional":false,"field":"id"},
                {"type":"double","optional":true,"field":"share"},
                {"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,
                 "parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"price"},
                {"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1,"field":"day"},
                {"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1,"field":"at"},
                {"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1,"field":"paid"},
                {"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","version":1,"field":"took"},
                {"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,"field":"doc"},
                {"type":"struct","optional":true,"name":"io.debezium.data.geometry.Geometry","field":"geo",
                 "fields":[{"type":"bytes","optional":false,"field":"wkb"},{"type":"int32","optional":true,"field":"srid"}]}]},
              {"type":"string","optional":false,"field":"op"}]},
             "payload":{"before":null,"after":{"id":7,"share":4.9E-324,"price":"/1Y=","day":-1,"at":-1,"paid":"2024-02-29T13:14:15.123456Z",
               "took":-3020399000000,"doc":"{\\"k\\":1}","geo":{"wkb":"AQE=","srid":0}},"op":"c"}}
            """;

    @Test
    void theSchemaGivesTheColumnsAndDecodesConnectsEncodings() throws Exception {
        JsonNode message = KafkaMessageParser.JSON.readTree(MESSAGE);
        KafkaMessageParser parser = new KafkaMessageParser("debezium-json", null);
        JsonNode rowSchema = parser.rowSchema(message);
        List<Column> columns = ConnectSchemaRows.columns(rowSchema);
        assertThat(columns.stream().map(Column::columnType)).containsExactly("int", "double", "decimal(10,2)", "date", "datetime(6)",
                "timestamp(6)", "time(6)", "json", "json");
        assertThat(columns.get(0).nullable()).isFalse();

        ObjectNode after = parser.parse(null, MESSAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0).get(0).after();
        assertThat(after.toString()).isEqualTo("{\"id\":7,\"share\":4.9E-324,\"price\":\"-1.70\",\"day\":\"1969-12-31\",\"at\":\"1969-12-31T23:59:59.999999\","
                + "\"paid\":\"2024-02-29T13:14:15.123456Z\",\"took\":\"-838:59:59\",\"doc\":\"{\\\"k\\\":1}\","
                + "\"geo\":{\"wkb\":\"AQE=\",\"srid\":0}}");
        for (Column c : columns) {
            KafkaColumnValues.value(c, after.get(c.name())); // every decoded value is one its column holds
        }
    }
}
