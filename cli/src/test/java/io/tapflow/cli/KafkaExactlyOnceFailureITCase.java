package io.tapflow.cli;

import static io.tapflow.cli.FlinkClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once into Kafka across a TaskManager killed with SIGKILL while changes flow, on a multi-process cluster: a
 * read_committed consumer sees every change of the source exactly once (every message of this workload is distinct,
 * so a replayed one would show as a duplicate), and the topic's latest value per key equals the source table.
 */
class KafkaExactlyOnceFailureITCase {
    private static final int ROWS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aReadCommittedConsumerSeesEachChangeOnceAcrossAKilledTaskManager() throws Exception {
        try (FlinkClusterFixture f = new FlinkClusterFixture(dir, "eos_" + ProcessHandle.current().pid())) {
            f.mysql(ItemTables.DDL);
            ItemTables.insert(f.database, 1, ROWS);
            assertThat(f.tapflow("datasource", "add", "events", "--type", "kafka", "-o",
                    "bootstrap-servers=" + SharedServers.kafka().bootstrapServers(), "-o", "format=json", "-o",
                    "delivery=exactly-once", "-o", "topic={pipeline}.{table}")).as(f.err()).isZero();
            Path pipeline = dir.resolve("eos.json");
            Files.writeString(pipeline, """
                    {"name": "eos", "sources": [{"datasource": "src", "tables": ["item"]}],
                     "target": {"datasource": "events", "key": []}, "settings": {"parallelism": 2, "checkpointIntervalMs": 1000}}
                    """);
            f.submitLikeFlinkRun(pipeline);
            await(Duration.ofMinutes(2), () -> committed().size() == ROWS, () -> "committed: " + committed().size());

            try (ItemTables.Writer writer = new ItemTables.Writer(f.database, ROWS + 1, 1)) {
                await(Duration.ofSeconds(30), () -> writer.changes() > 300, () -> "writer is slow");
                f.cluster.killTaskManager(0);
                await(Duration.ofMinutes(2), () -> restartedAndRunning(f), () -> f.out() + f.err());
                int changesAfterRestart = writer.changes();
                await(Duration.ofSeconds(30), () -> writer.changes() > changesAfterRestart + 200, () -> "writer is slow");
            }
            Map<Integer, String> source = ItemTables.readMariaDb(f.database);
            await(Duration.ofMinutes(1), () -> latestByKey(committed()).equals(source),
                    () -> "topic differs from source: " + latestByKey(committed()).size() + " vs " + source.size() + " rows");
            List<String> messages = committed();
            Set<String> distinct = new HashSet<>(messages);
            assertThat(messages.size() - distinct.size()).as("messages a read_committed consumer saw twice").isZero();
            assertThat(f.tapflow("delete", "eos")).as(f.err()).isZero();
        }
    }

    private static boolean restartedAndRunning(FlinkClusterFixture f) {
        if (f.tapflow("status", "eos", "--json") != 0) {
            return false;
        }
        try {
            JsonNode status = JSON.readTree(f.out());
            return status.path("restarts").asLong() >= 1 && "RUNNING".equals(status.path("state").asText());
        } catch (Exception e) {
            return false;
        }
    }

    /** The topic's committed messages as "key value" (value "null" for a tombstone), in offset order per partition. */
    private static List<String> committed() {
        Properties props = new Properties();
        props.put("bootstrap.servers", SharedServers.kafka().bootstrapServers());
        props.put("isolation.level", "read_committed");
        List<String> messages = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("eos.item", Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition("eos.item", p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    messages.add(text(r.key()) + " " + text(r.value()));
                }
            }
        }
        return messages;
    }

    /** What a compacted topic would keep, as ItemTables reads a table: id to "qty|note", deleted rows left out. */
    private static Map<Integer, String> latestByKey(List<String> messages) {
        Map<Integer, String> rows = new TreeMap<>();
        try {
            for (String message : messages) {
                int space = message.indexOf(' ');
                int id = JSON.readTree(message.substring(0, space)).path("id").asInt();
                String value = message.substring(space + 1);
                if (value.equals("null")) {
                    rows.remove(id);
                } else {
                    JsonNode row = JSON.readTree(value);
                    rows.put(id, row.path("qty").asInt() + "|" + row.path("note").asText());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
