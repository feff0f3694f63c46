package io.tapflow.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.KafkaServer;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The quickstart's Kafka target: topic {@value #TOPIC} in debezium-json, read from its start by a consumer that keeps
 * the latest note (or the delete) of each key; a change counts as arrived when that consumer has read it.
 */
final class KafkaDemoTarget implements DemoTarget {
    /** The target's default topic name for pipeline quickstart-kafka, database demo, table customer. */
    static final String TOPIC = "quickstart-kafka.demo.customer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaServer kafka;
    private final Map<Integer, String> notes = new HashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;

    KafkaDemoTarget(KafkaServer kafka) {
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return "Kafka";
    }

    @Override
    public DataSource dataSource() {
        return DataSource.of("kafka", "demo-kafka").option("bootstrap-servers", kafka.bootstrapServers());
    }

    @Override
    public long rows() throws IOException {
        read();
        return notes.values().stream().filter(n -> n != null).count();
    }

    @Override
    public boolean shows(int id, String note, boolean deleted) throws IOException {
        read();
        return deleted ? notes.containsKey(id) && notes.get(id) == null : note.equals(notes.get(id));
    }

    /** Reads what arrived since the last call; the topic exists once the pipeline was planned. */
    private void read() throws IOException {
        if (consumer == null) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(1))) {
            if (r.value() == null) {
                continue; // no tombstones in debezium-json, but a consumer must not trip over one
            }
            JsonNode change = JSON.readTree(r.value());
            int id = JSON.readTree(r.key()).path("id").asInt();
            notes.put(id, change.path("op").asText().equals("d") ? null : change.path("after").path("note").asText());
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
