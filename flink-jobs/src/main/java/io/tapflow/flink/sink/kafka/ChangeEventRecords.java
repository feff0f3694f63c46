package io.tapflow.flink.sink.kafka;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.job.JobFailures;
import io.tapflow.flink.sink.JsonValues;
import java.nio.charset.StandardCharsets;
import io.tapflow.flink.schema.NewTables;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TargetTableLookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns each change event into one Kafka record: the topic of its target table, the target key as message key (no
 * partition given, so Kafka partitions by key), and the formatted value. Updates that move a key arrive already split
 * into a delete and an insert (the Kafka target asks the job for that), so the old key gets its delete or tombstone.
 * A source table's TRUNCATE (policy evolve) becomes a message without key in every partition of its topic (a topic
 * cannot be emptied, and the keys of its rows are not kept, so it is told to the consumers as Debezium tells it, and
 * in each partition, since a key's rows are all in one): {@link TruncateWritingSink} asks for the messages of its
 * share ({@link #truncateShare}), one element per partition.
 */
final class ChangeEventRecords implements KafkaRecordSerializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    /** The key entry of a TRUNCATE element naming the partition of its truncate message. */
    private static final String PARTITION = "kafkaPartition";
    private final TargetTableLookup targets;
    private final Map<String, String> topicBySourceTable = new HashMap<>();
    private final String topicPattern;
    private final String pipeline;
    private final ChangeMessages messages;
    private final int maxMessageBytes;
    /** The writer's context: its subtask, the parallelism and a topic's partitions. */
    private transient KafkaSinkContext sinkContext;

    /** @param newTables plans the topics of tables created while the job runs; null when the pipeline names its tables */
    ChangeEventRecords(List<TargetTable> tables, NewTables newTables, KafkaTargetOptions options, String pipeline) {
        this.targets = new TargetTableLookup(tables, newTables);
        this.topicPattern = options.topicPattern();
        this.pipeline = pipeline;
        this.messages = new ChangeMessages(options.format(), options.opField(), pipeline);
        this.maxMessageBytes = options.maxMessageBytes();
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        this.sinkContext = sinkContext;
    }

    /**
     * A TRUNCATE as the elements of this sink subtask's truncate messages: one per partition of the topic whose
     * number modulo the parallelism is the subtask's index (all of them at parallelism 1).
     */
    List<ChangeEvent> truncateShare(ChangeEvent truncate) {
        String topic = topic(truncate, targets.of(truncate.table()));
        List<ChangeEvent> share = new ArrayList<>();
        for (int partition : sinkContext.getPartitionsForTopic(topic)) {
            if (partition % sinkContext.getNumberOfParallelInstances() == sinkContext.getParallelInstanceId()) {
                Map<String, Object> what = new LinkedHashMap<>(truncate.key());
                what.put(PARTITION, Integer.toString(partition));
                share.add(new ChangeEvent(truncate.op(), truncate.table(), what, null, null, truncate.sourceTsMs()));
            }
        }
        return share;
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
            return new ProducerRecord<>(topic(event, table), null, key, value);
        } catch (TapflowException e) {
            // The row fails again after every restore: stop the job with this message rather than restart it.
            JobFailures.failFastIfFatal(e);
            throw e;
        }
    }

    /** One truncate message, for the partition {@link #truncateShare} gave the element. */
    private ProducerRecord<byte[], byte[]> truncate(TargetTable table, ChangeEvent event) {
        Object partition = event.key().get(PARTITION);
        if (partition == null) {
            throw new IllegalStateException("a TRUNCATE of " + event.table() + " reached the Kafka serializer without its partition");
        }
        return new ProducerRecord<>(topic(event, table), Integer.parseInt((String) partition), null,
                messages.truncate(table, event));
    }

    private String topic(ChangeEvent event, TargetTable table) {
        return topicBySourceTable.computeIfAbsent(event.table(), t -> KafkaTopics.of(topicPattern, pipeline, table));
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
