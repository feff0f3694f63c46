package io.tapflow.flink.sink.kafka;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns each change event into one Kafka record: the topic of its target table, the target key as message key (no
 * partition given, so Kafka partitions by key), and the formatted value. Updates that move a key arrive already split
 * into a delete and an insert (the Kafka target asks the job for that), so the old key gets its delete or tombstone.
 */
final class ChangeEventRecords implements KafkaRecordSerializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final Map<String, TargetTable> bySourceTable = new HashMap<>();
    private final Map<String, String> topicBySourceTable = new HashMap<>();
    private final ChangeMessages messages;

    ChangeEventRecords(List<TargetTable> tables, KafkaTargetOptions options, String pipeline) {
        for (TargetTable t : tables) {
            bySourceTable.put(t.sourceTable(), t);
            topicBySourceTable.put(t.sourceTable(), KafkaTopics.of(options.topicPattern(), pipeline, t));
        }
        this.messages = new ChangeMessages(options.format(), options.opField(), pipeline);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ChangeEvent event, KafkaSinkContext context, Long timestamp) {
        TargetTable table = bySourceTable.get(event.table());
        if (table == null) {
            throw new TapflowException("no target topic is planned for source table " + event.table() + "; planned: "
                    + bySourceTable.keySet());
        }
        return new ProducerRecord<>(topicBySourceTable.get(event.table()), null, messages.key(table, event),
                messages.value(table, event));
    }
}
