package io.tapflow.flink.source.kafka;

import io.tapflow.dsl.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Looks into topics for the shell: which there are, their last messages and how many each holds. */
public final class KafkaTopicMessages {
    private KafkaTopicMessages() {}

    public static Set<String> topics(DataSource ds) {
        KafkaSourceOptions options = KafkaSourceOptions.of(ds, "shell");
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaSourceInspector.consumer(options.bootstrapServers())) {
            return KafkaSourceInspector.listTopics(consumer, options.where());
        }
    }

    /** The last {@code n} messages over all partitions, oldest first by timestamp: partition, offset, key, value. */
    public static List<Map<String, String>> last(DataSource ds, String topic, int n) {
        KafkaSourceOptions options = KafkaSourceOptions.of(ds, "shell");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaSourceInspector.consumer(options.bootstrapServers())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // Every partition's last n; the n latest of those are the topic's last n.
            partitions.forEach(p -> consumer.seek(p, Math.max(begin.get(p), end.get(p) - n)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(Comparator.comparingLong(ConsumerRecord<byte[], byte[]>::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        List<Map<String, String>> rows = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records.subList(Math.max(0, records.size() - n), records.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("partition", Integer.toString(r.partition()));
            row.put("offset", Long.toString(r.offset()));
            row.put("key", text(r.key()));
            row.put("value", text(r.value()));
            rows.add(row);
        }
        return rows;
    }

    /**
     * The messages in the topic: end minus start offset per partition. On a compacted topic, or one written in
     * transactions (commit markers take offsets), this counts offsets, so it can be higher than the messages left.
     */
    public static long count(DataSource ds, String topic) {
        KafkaSourceOptions options = KafkaSourceOptions.of(ds, "shell");
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaSourceInspector.consumer(options.bootstrapServers())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "NULL" : new String(bytes, StandardCharsets.UTF_8);
    }
}
