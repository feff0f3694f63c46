package io.tapflow.flink.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A row whose message would exceed option max-message-bytes is refused naming the row and its largest field. */
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
    void theLimitMustBeAPositiveNumber() {
        assertThatThrownBy(() -> records("-1")).hasMessageContaining("max-message-bytes");
    }
}
