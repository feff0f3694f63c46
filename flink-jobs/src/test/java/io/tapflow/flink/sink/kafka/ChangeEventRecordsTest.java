package io.tapflow.flink.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A row whose message would exceed option max-message-bytes is refused naming the row and its largest field; a
 * TRUNCATE is a message without key in partition 0, in each format that has one, written by one sink subtask.
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
    void aTruncateIsAKeylessMessageInPartitionZeroWrittenOnceInEachFormat() {
        DataSource ds = DataSource.of("kafka", "events").option("bootstrap-servers", "localhost:9092");
        ChangeEvent truncate = TargetSchemaChanges.truncate(new ChangeEvent(Op.TRUNCATE, "shop.notes", Map.of(), null, null, 5L), "notes");
        ProducerRecord<byte[], byte[]> canal = truncateRecord(ds.option("format", "canal-json"), truncate);
        assertThat(canal.key()).isNull();
        assertThat(canal.partition()).isZero();
        assertThat(new String(canal.value())).startsWith("{\"data\":null,\"old\":null,\"database\":\"shop\",\"table\":\"notes\","
                + "\"pkNames\":[\"id\"],\"isDdl\":true,\"sql\":\"TRUNCATE TABLE shop.notes\",\"type\":\"TRUNCATE\",\"es\":5,");
        ProducerRecord<byte[], byte[]> json = truncateRecord(ds.option("format", "json").option("json.op-field", "__op"), truncate);
        assertThat(new String(json.value())).isEqualTo("{\"__op\":\"t\"}");
        ProducerRecord<byte[], byte[]> debezium = truncateRecord(ds, truncate);
        assertThat(new String(debezium.value())).startsWith("{\"before\":null,\"after\":null,\"source\":{\"connector\":\"tapflow\","
                + "\"name\":\"p\",\"db\":\"shop\",\"table\":\"notes\",\"snapshot\":\"false\",\"ts_ms\":5},\"op\":\"t\",");
        // At parallelism > 1 each sink subtask gets a copy; the first writes it.
        assertThat(truncateRecord(ds, TargetSchemaChanges.copyFor(truncate, 0, "k0"))).isNotNull();
        assertThat(truncateRecord(ds, TargetSchemaChanges.copyFor(truncate, 1, "k1"))).isNull();
    }

    private static ProducerRecord<byte[], byte[]> truncateRecord(DataSource ds, ChangeEvent truncate) {
        return new ChangeEventRecords(List.of(NOTES), null, KafkaTargetOptions.of(ds), "p").serialize(truncate, null, null);
    }

    @Test
    void theLimitMustBeAPositiveNumber() {
        assertThatThrownBy(() -> records("-1")).hasMessageContaining("max-message-bytes");
    }
}
