package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.event.TopicSourceTables;
import io.tapflow.flink.event.UnappliedTruncate;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.step.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka messages into change events of the planned topic tables. A message that cannot be read (not JSON, not the
 * format, a value its column cannot hold, a missing key field) is an error of that row under the pipeline's error
 * policy, named by topic, partition and offset: the job fails without restarts (the message would fail again), or it
 * is skipped (up to the limit, per subtask and run), or it becomes a dead letter with the raw payload, which the job
 * routes to the dead-letter table.
 */
final class KafkaChangeDeserializer implements KafkaRecordDeserializationSchema<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeDeserializer.class);
    /** The step name dead letters of the source carry. */
    static final String STEP = "source";
    private final Map<String, TableSchema> byTopic = new HashMap<>();
    private final KafkaMessageParser parser;
    private final ErrorPolicy policy;
    private final String pipeline;
    private final String bootstrapServers;
    private transient Map<String, Integer> partitionsByTopic;
    /** "topic NUL source table" of the rows marked in this run (the follower's checkpointed state keeps them all). */
    private transient Set<String> marked;
    private transient long skipped;
    private transient Counter errors;

    KafkaChangeDeserializer(List<TableSchema> tables, KafkaSourceOptions options, ErrorPolicy policy, String pipeline) {
        tables.forEach(t -> byTopic.put(t.table(), t));
        this.parser = new KafkaMessageParser(options.format(), options.opField());
        this.policy = policy;
        this.pipeline = pipeline;
        this.bootstrapServers = options.bootstrapServers();
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        errors = context.getMetricGroup().counter("tapflowSourceRowErrors");
        partitionsByTopic = new HashMap<>();
        marked = new HashSet<>();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ChangeEvent> out) {
        TableSchema table = byTopic.get(record.topic());
        List<ChangeEvent> events = new ArrayList<>();
        try {
            for (KafkaMessageParser.Parsed change : parser.parse(record.key(), record.value(), record.timestamp())) {
                if (change.op() == Op.TRUNCATE) {
                    events.add(truncate(table, record, change));
                    continue;
                }
                ChangeEvent row = event(table, change);
                if (marked.add(record.topic() + '\0' + change.sourceTable())) {
                    events.add(TopicSourceTables.rowsNamed(table.qualifiedName(), change.sourceTable()));
                }
                events.add(row);
            }
        } catch (TapflowException e) {
            refused(record, table, e.getMessage(), out);
            return;
        }
        events.forEach(out::collect);
    }

    /**
     * A truncate message. In a topic of one partition it is a TRUNCATE at its position among the rows, which the
     * table-event follower applies only when no other source table's rows were read before it ({@link TopicSourceTables}).
     * In a topic of several, each partition has its own (tapflow's Kafka target writes one to every partition, Debezium to one):
     * they are read at different moments, among rows of other partitions from before and after them, so no one
     * position empties the target correctly; the TRUNCATE is then reported, not applied.
     */
    private ChangeEvent truncate(TableSchema table, ConsumerRecord<byte[], byte[]> record, KafkaMessageParser.Parsed change) {
        int partitions = partitionsByTopic.computeIfAbsent(record.topic(), this::partitions);
        if (partitions == 1) {
            return TopicSourceTables.truncate(table.qualifiedName(), record.topic(), change.sourceTable(), change.tsMs());
        }
        return UnappliedTruncate.of(table.qualifiedName(), change.tsMs(), "a truncate message in partition " + record.partition()
                + " of topic " + record.topic() + ", which has " + partitions + " partitions: each partition's is read at "
                + "its own moment, among the other partitions' rows, so no one position empties the target; a topic of "
                + "one partition passes its truncate messages on");
    }

    private int partitions(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaSourceInspector.consumer(bootstrapServers)) {
            return consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
        }
    }

    private ChangeEvent event(TableSchema table, KafkaMessageParser.Parsed change) {
        Map<String, Object> before = row(table, change.before());
        Map<String, Object> after = row(table, change.after());
        Map<String, Object> latest = after != null ? after : before;
        Map<String, Object> key = new LinkedHashMap<>();
        for (String field : table.primaryKey()) {
            Object value = latest.get(field);
            if (value == null) {
                throw new TapflowException("key field '" + field + "' is missing or null");
            }
            key.put(field, value);
        }
        return new ChangeEvent(change.op(), table.qualifiedName(), key, before, after, change.tsMs());
    }

    /** The JSON row as a row of the planned columns (missing fields are NULL); a field not planned is an error. */
    private static Map<String, Object> row(TableSchema table, ObjectNode json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column c : table.columns()) {
            row.put(c.name(), KafkaColumnValues.value(c, json.get(c.name())));
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!row.containsKey(name)) {
                throw new TapflowException("field '" + name + "' is not a column of the topic as planned "
                        + table.columns().stream().map(Column::name).toList());
            }
        });
        return row;
    }

    private void refused(ConsumerRecord<byte[], byte[]> record, TableSchema table, String reason, Collector<ChangeEvent> out) {
        errors.inc();
        String where = "topic " + record.topic() + " partition " + record.partition() + " offset " + record.offset();
        String message = "message at " + where + " cannot be read as " + parser.format() + ": " + reason;
        switch (policy.mode()) {
            case SKIP -> {
                if (skipped >= policy.maxErrors()) {
                    throw new SuppressRestartsException(new TapflowException(message + " (more than " + policy.maxErrors()
                            + " rows failed in this subtask, the limit of the 'skip' error policy)"));
                }
                skipped++;
                LOG.warn("skipped: {}", message);
            }
            case DEAD_LETTER -> {
                Map<String, Object> position = new LinkedHashMap<>();
                position.put("topic", record.topic());
                position.put("partition", record.partition());
                position.put("offset", record.offset());
                Map<String, Object> raw = new LinkedHashMap<>(position);
                raw.put("key", text(record.key()));
                raw.put("value", text(record.value()));
                ChangeEvent failed = new ChangeEvent(Op.INSERT, table.qualifiedName(), position, null, raw, record.timestamp());
                out.collect(DeadLetters.event(pipeline, STEP, failed, message));
            }
            default -> throw new SuppressRestartsException(new TapflowException(message));
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<ChangeEvent> getProducedType() {
        return ChangeEventTypeInfo.INSTANCE;
    }
}
