package io.tapflow.flink.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.kafka.KafkaTargetOptions;
import io.tapflow.flink.sink.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the Kafka target's topic of each table as a compacted topic would keep it: the latest message of each message
 * key, read from the start to the end offsets of the moment (committed messages only), a deleted row gone (a json
 * tombstone, debezium-json op {@code d}, canal-json {@code DELETE}, or the {@code json.op-field} saying {@code d}).
 * The rows are the message's row in the sink's format ({@code after}, {@code data[0]}, or the message itself). A
 * topic cannot be read in key order, so this view of it is held in memory: one row of text per key. Reading one key
 * again (the re-check) reads only what was written to the topic since.
 */
final class KafkaTargetReader implements JsonTargetReader {
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a read may make no progress towards the end offsets before it is given up. */
    private static final Duration STALLED = Duration.ofMinutes(2);
    private final KafkaTargetOptions options;
    private final String pipeline;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, TopicView> views = new HashMap<>();

    KafkaTargetReader(DataSource resolvedDataSource, String pipeline) {
        this.options = KafkaTargetOptions.of(resolvedDataSource);
        this.pipeline = pipeline;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // With exactly-once delivery, messages of an open or aborted transaction are not (yet) in the target.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tapflow-verify-" + pipeline);
        this.consumer = call(() -> new KafkaConsumer<>(props));
    }

    @Override
    public RowCursor rows(TargetTable table) {
        TopicView view = view(table);
        Iterator<String> rows = new ArrayList<>(view.rows.values()).iterator();
        return new RowCursor() {
            @Override
            public Map<String, Object> next() {
                return rows.hasNext() ? JsonTargetValues.row(JsonTargetValues.parse(rows.next(), "a row"), table) : null;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Map<String, Object> row(TargetTable table, RowKey key) {
        List<Object> normalized = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            normalized.add(ValueMatch.normalize(stored(table, table.keyFields().get(i), key.get(i))));
        }
        String row = view(table).rows.get(normalized);
        return row == null ? null : JsonTargetValues.row(JsonTargetValues.parse(row, "a row"), table);
    }

    @Override
    public long count(TargetTable table) {
        return view(table).rows.size();
    }

    /** The table's topic read up to its current end. */
    private TopicView view(TargetTable table) {
        TopicView view = views.computeIfAbsent(table.name(), n -> new TopicView(table,
                KafkaTopics.of(options.topicPattern(), pipeline, table)));
        call(() -> {
            view.readToEnd();
            return null;
        });
        return view;
    }

    /** The latest row of each key of one topic, and how far each partition has been read. */
    private final class TopicView {
        private final TargetTable table;
        private final String topic;
        private final TreeMap<List<Object>, String> rows = new TreeMap<>(KeyOrder.INSTANCE);
        private final Map<TopicPartition, Long> positions = new HashMap<>();

        TopicView(TargetTable table, String topic) {
            this.table = table;
            this.topic = topic;
        }

        void readToEnd() {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new TapflowException(options.where() + ": topic '" + topic + "' of target table " + table.name()
                        + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            consumer.assign(partitions);
            for (TopicPartition p : partitions) {
                consumer.seek(p, positions.getOrDefault(p, starts.get(p)));
            }
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                boolean progress = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        apply(r);
                        progress = true;
                    }
                }
                if (progress) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
                    throw new TapflowException(options.where() + ": reading topic '" + topic + "' made no progress for "
                            + STALLED.toMinutes() + " minutes");
                }
            }
            partitions.forEach(p -> positions.put(p, ends.get(p)));
        }

        private void apply(ConsumerRecord<byte[], byte[]> r) {
            String where = "the message at topic " + topic + " partition " + r.partition() + " offset " + r.offset();
            if (r.key() == null) {
                throw new TapflowException(where + " has no key; tapflow's Kafka target keys every message");
            }
            Map<String, Object> keyFields = JsonTargetValues.row(JsonTargetValues.parse(text(r.key()), where + "'s key"), table);
            List<Object> key = new ArrayList<>();
            for (String k : table.keyFields()) {
                key.add(ValueMatch.normalize(keyFields.get(k)));
            }
            JsonNode row = r.value() == null ? null : latestRow(JsonTargetValues.parse(text(r.value()), where));
            if (row == null) {
                rows.remove(key);
            } else {
                rows.put(key, row.toString());
            }
        }

        /** The row the message leaves in the target, in the sink's format; null for a delete. */
        private JsonNode latestRow(JsonNode value) {
            return switch (options.format()) {
                case DEBEZIUM_JSON -> value.path("op").asText().equals("d") ? null : value.path("after");
                case CANAL_JSON -> value.path("type").asText().equals("DELETE") ? null : value.path("data").path(0);
                case JSON -> {
                    if (options.opField() == null) {
                        yield value;
                    }
                    boolean delete = value.path(options.opField()).asText().equals("d");
                    ((ObjectNode) value).remove(options.opField());
                    yield delete ? null : value;
                }
            };
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A call to Kafka. */
    private interface KafkaCall<T> {
        T run();
    }

    private <T> T call(KafkaCall<T> action) {
        try {
            return action.run();
        } catch (KafkaException e) {
            throw new TapflowException(options.where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
