package io.tapflow.flink.sink.kafka;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.job.JobFailures;
import io.tapflow.flink.sink.JsonValues;
import java.nio.charset.StandardCharsets;
import io.tapflow.flink.schema.NewTables;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TargetTableLookup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns each change event into one Kafka record: the topic of its target table, the target key as message key (no
 * partition given, so Kafka partitions by key), and the formatted value. Updates that move a key arrive already split
 * into a delete and an insert (the Kafka target asks the job for that), so the old key gets its delete or tombstone.
 * A source table's TRUNCATE (policy evolve) becomes one message without key in partition 0 of its topic: a topic
 * cannot be emptied, and the keys of its rows are not kept, so it is told to the consumers as Debezium tells it.
 */
final class ChangeEventRecords implements KafkaRecordSerializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final TargetTableLookup targets;
    private final Map<String, String> topicBySourceTable = new HashMap<>();
    private final String topicPattern;
    private final String pipeline;
    private final ChangeMessages messages;
    private final int maxMessageBytes;

    /** @param newTables plans the topics of tables created while the job runs; null when the pipeline names its tables */
    ChangeEventRecords(List<TargetTable> tables, NewTables newTables, KafkaTargetOptions options, String pipeline) {
        this.targets = new TargetTableLookup(tables, newTables);
        this.topicPattern = options.topicPattern();
        this.pipeline = pipeline;
        this.messages = new ChangeMessages(options.format(), options.opField(), pipeline);
        this.maxMessageBytes = options.maxMessageBytes();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ChangeEvent event, KafkaSinkContext context, Long timestamp) {
        try {
            TargetTable table = targets.of(event.table());
            if (event.op() == Op.TRUNCATE) {
                return truncate(table, event);
            }
            byte[] key = messages.key(table, event);
            byte[] value = messages.value(table, event);
            int size = key.length + (value == null ? 0 : value.length);
            if (size > maxMessageBytes) {
                throw new TapflowException("row " + RowValues.format(event.key()) + " of " + event.table() + " is " + size
                        + " bytes as a Kafka message, over option 'max-message-bytes' (" + maxMessageBytes + ")"
                        + largestField(event) + "; raise the option (topics tapflow creates get it as max.message.bytes;"
                        + " an existing topic needs its max.message.bytes raised too)");
            }
            String topic = topicBySourceTable.computeIfAbsent(event.table(), t -> KafkaTopics.of(topicPattern, pipeline, table));
            return new ProducerRecord<>(topic, null, key, value);
        } catch (TapflowException e) {
            // The row fails again after every restore: stop the job with this message rather than restart it.
            JobFailures.failFastIfFatal(e);
            throw e;
        }
    }

    /**
     * At parallelism &gt; 1 every sink subtask gets a copy of the TRUNCATE behind its own rows; only the first writes
     * the message, so consumers see it once. Partition 0, rather than one the producer picks for a message without
     * key, so a one-partition topic (the default) has it in order with the rows before and after it.
     */
    private ProducerRecord<byte[], byte[]> truncate(TargetTable table, ChangeEvent event) {
        if (TargetSchemaChanges.subtask(event) > 0) {
            return null;
        }
        String topic = topicBySourceTable.computeIfAbsent(event.table(), t -> KafkaTopics.of(topicPattern, pipeline, table));
        return new ProducerRecord<>(topic, 0, null, messages.truncate(table, event));
    }

    /** Names the field taking most room in the message, so the user sees which column makes the row too large. */
    private static String largestField(ChangeEvent event) {
        String largest = null;
        int bytes = -1;
        for (Map.Entry<String, Object> field : event.latestRow().entrySet()) {
            int size = JsonValues.value(field.getValue()).toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > bytes) {
                largest = field.getKey();
                bytes = size;
            }
        }
        return largest == null ? "" : "; its largest field is '" + largest + "' (" + bytes + " bytes of JSON)";
    }
}
