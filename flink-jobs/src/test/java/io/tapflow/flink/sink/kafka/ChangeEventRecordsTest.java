package io.tapflow.flink.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A row whose message would exceed option max-message-bytes is refused naming the row and its largest field; a
 * TRUNCATE is a message without key in every partition, in each format that has one, each sink subtask writing its
 * share of the partitions.
 */
class ChangeEventRecordsTest {
    private static final TargetTable NOTES = new TargetTable("shop.notes", "notes", List.of("id"), List.of(
            new Column("id", "int", "int", -1, 10, 0, false, false),
            new Column("body", "text", "text", 65_535, -1, -1, true, false)));

    private static ChangeEventRecords records(String maxMessageBytes) {
        DataSource ds = DataSource.of("kafka", "events").option("bootstrap-servers", "localhost:9092");
        KafkaTargetOptions options = KafkaTargetOptions.of(maxMessageBytes == null ? ds : ds.option("max-message-bytes", maxMessageBytes));
        return new ChangeEventRecords(List.of(NOTES), null, options, "p");
    }

    private static ChangeEvent insert(int id, String body) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("body", body);
        return new ChangeEvent(Op.INSERT, "shop.notes", Map.of("id", id), null, row, 1L);
    }

    @Test
    void aRowOverTheLimitFailsTheJobNamingRowAndField() {
        ChangeEvent big = insert(7, "x".repeat(2 * 1024 * 1024));
        assertThatThrownBy(() -> records(null).serialize(big, null, null))
                .isInstanceOf(SuppressRestartsException.class)
                .cause()
                .hasMessageStartingWith("row {id=7} of shop.notes is ")
                .hasMessageContaining(" bytes as a Kafka message, over option 'max-message-bytes' (1048576); its largest"
                        + " field is 'body' (2097154 bytes of JSON); raise the option");
        ProducerRecord<byte[], byte[]> record = records("4194304").serialize(big, null, null);
        assertThat(record.value().length).isGreaterThan(2 * 1024 * 1024);
        assertThat(new String(record.key())).isEqualTo("{\"id\":7}");
    }

    @Test
    void aTruncateIsAKeylessMessageInEachFormatAndEachSubtaskWritesItsShareOfThePartitions() {
        DataSource ds = DataSource.of("kafka", "events").option("bootstrap-servers", "localhost:9092");
        ChangeEvent truncate = TargetSchemaChanges.truncate(new ChangeEvent(Op.TRUNCATE, "shop.notes", Map.of(), null, null, 5L), "notes");
        ProducerRecord<byte[], byte[]> canal = truncateRecords(ds.option("format", "canal-json"), truncate, 0, 1).get(0);
        assertThat(canal.key()).isNull();
        assertThat(new String(canal.value())).startsWith("{\"data\":null,\"old\":null,\"database\":\"shop\",\"table\":\"notes\","
                + "\"pkNames\":[\"id\"],\"isDdl\":true,\"sql\":\"TRUNCATE TABLE shop.notes\",\"type\":\"TRUNCATE\",\"es\":5,");
        ProducerRecord<byte[], byte[]> json = truncateRecords(ds.option("format", "json").option("json.op-field", "__op"), truncate, 0, 1).get(0);
        assertThat(new String(json.value())).isEqualTo("{\"__op\":\"t\"}");
        ProducerRecord<byte[], byte[]> debezium = truncateRecords(ds, truncate, 0, 1).get(0);
        assertThat(new String(debezium.value())).startsWith("{\"before\":null,\"after\":null,\"source\":{\"connector\":\"tapflow\","
                + "\"name\":\"p\",\"db\":\"shop\",\"table\":\"notes\",\"snapshot\":\"false\",\"ts_ms\":5},\"op\":\"t\",");
        // Three partitions: at parallelism 1 one subtask writes all; at 2 the first writes 0 and 2, the second 1.
        assertThat(truncateRecords(ds, truncate, 0, 1)).extracting(ProducerRecord::partition).containsExactly(0, 1, 2);
        assertThat(truncateRecords(ds, TargetSchemaChanges.copyFor(truncate, 0, "k0"), 0, 2))
                .extracting(ProducerRecord::partition).containsExactly(0, 2);
        assertThat(truncateRecords(ds, TargetSchemaChanges.copyFor(truncate, 1, "k1"), 1, 2))
                .extracting(ProducerRecord::partition).containsExactly(1);
        assertThat(truncateRecords(ds, truncate, 0, 1)).allMatch(r -> r.key() == null && r.topic().equals("p.shop.notes"));
    }

    @Test
    void aUnionsTruncateInJsonCarriesTheFieldThatHoldsItsSourceTable() {
        DataSource ds = DataSource.of("kafka", "events").option("bootstrap-servers", "localhost:9092")
                .option("format", "json").option("json.op-field", "__op");
        ChangeEvent truncate = TargetSchemaChanges.truncate(new ChangeEvent(Op.TRUNCATE, "shop.notes", Map.of(), null, null, 5L),
                "notes", new TruncateScope("source_table", "shop.notes"));
        assertThat(new String(truncateRecords(ds, truncate, 0, 1).get(0).value()))
                .isEqualTo("{\"__op\":\"t\",\"source_table\":\"shop.notes\"}");
    }

    /** The truncate messages one sink subtask writes, the topic having three partitions. */
    private static List<ProducerRecord<byte[], byte[]>> truncateRecords(DataSource ds, ChangeEvent truncate, int subtask, int parallelism) {
        ChangeEventRecords records = new ChangeEventRecords(List.of(NOTES), null, KafkaTargetOptions.of(ds), "p");
        records.open(null, new KafkaRecordSerializationSchema.KafkaSinkContext() {
            @Override
            public int getParallelInstanceId() {
                return subtask;
            }

            @Override
            public int getNumberOfParallelInstances() {
                return parallelism;
            }

            @Override
            public int[] getPartitionsForTopic(String topic) {
                return new int[] {0, 1, 2};
            }
        });
        return records.truncateShare(truncate).stream().map(e -> records.serialize(e, null, null)).toList();
    }

    @Test
    void theLimitMustBeAPositiveNumber() {
        assertThatThrownBy(() -> records("-1")).hasMessageContaining("max-message-bytes");
    }
}
