package io.tapflow.cli;

import static io.tapflow.cli.FlinkClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.servers.SharedServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
            String jobId = f.submitLikeFlinkRun(pipeline);
            // Unaligned (at-least-once) barriers let records of the next checkpoint interval into a committed transaction.
            assertThat(checkpointingMode(f, jobId)).isEqualTo("exactly_once");
            await(Duration.ofMinutes(2), () -> committed().size() == ROWS, () -> "committed: " + committed().size());

            try (ItemTables.Writer writer = new ItemTables.Writer(f.database, ROWS + 1, 1)) {
                // A committed change of the writer means a checkpoint after the snapshot's hand-over to the binlog
                // reader: the kill lands in the change stream with transactions committed before it.
                await(Duration.ofSeconds(60), () -> writer.changes() > 300 && committed().size() > ROWS,
                        () -> "no checkpoint of the change stream yet: " + writer.changes() + " changes, " + committed().size() + " committed");
                f.cluster.killTaskManager(0);
                await(Duration.ofMinutes(2), () -> restartedAndRunning(f), () -> f.out() + f.err());
                int changesAfterRestart = writer.changes();
                await(Duration.ofSeconds(30), () -> writer.changes() > changesAfterRestart + 200, () -> "writer is slow");
            }
            Map<Integer, String> source = ItemTables.readMariaDb(f.database);
            await(Duration.ofMinutes(1), () -> latestByKey(committed()).equals(source),
                    () -> "topic differs from source: " + latestByKey(committed()).size() + " vs " + source.size() + " rows");
            List<Message> messages = committed();
            if (!duplicates(messages).isEmpty()) {
                keepClusterLogs();
            }
            assertThat(duplicates(messages)).as("messages a read_committed consumer saw more than once (key value, then"
                    + " partition@offset and producer timestamp of each copy)").isEmpty();
            assertThat(f.tapflow("delete", "eos")).as(f.err()).isZero();
        }
    }

    /** Copies the cluster's logs where the build keeps them, to read after a failure (the temporary directory goes). */
    private void keepClusterLogs() throws IOException {
        Path kept = Path.of("target", "kafka-eos-logs", Long.toString(System.currentTimeMillis()));
        Files.createDirectories(kept);
        try (var logs = Files.list(dir.resolve("cluster").resolve("log"))) {
            for (Path log : logs.toList()) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
        System.err.println("cluster logs kept in " + kept.toAbsolutePath());
    }

    /** The job's checkpointing mode as Flink's REST API names it: exactly_once (aligned barriers) or at_least_once. */
    private static String checkpointingMode(FlinkClusterFixture f, String jobId) throws Exception {
        HttpResponse<String> config = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(f.cluster.restUrl() + "/jobs/" + jobId + "/checkpoints/config")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(config.body()).path("mode").asText();
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

    /** A committed message: its key and value as text (value "null" for a tombstone) and where it is in the topic. */
    private record Message(String key, String value, int partition, long offset, long timestamp) {
        String text() {
            return key + " " + value;
        }

        String place() {
            return partition + "@" + offset + " " + Instant.ofEpochMilli(timestamp);
        }
    }

    /** Each message seen more than once, with the places of its copies. */
    private static Map<String, List<String>> duplicates(List<Message> messages) {
        Map<String, List<String>> places = new LinkedHashMap<>();
        for (Message m : messages) {
            places.computeIfAbsent(m.text(), t -> new ArrayList<>()).add(m.place());
        }
        places.values().removeIf(copies -> copies.size() == 1);
        return places;
    }

    /** The topic's committed messages, in offset order per partition. */
    private static List<Message> committed() {
        Properties props = new Properties();
        props.put("bootstrap.servers", SharedServers.kafka().bootstrapServers());
        props.put("isolation.level", "read_committed");
        List<Message> messages = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("eos.item", Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition("eos.item", p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    messages.add(new Message(text(r.key()), text(r.value()), r.partition(), r.offset(), r.timestamp()));
                }
            }
        }
        return messages;
    }

    /** What a compacted topic would keep, as ItemTables reads a table: id to "qty|note", deleted rows left out. */
    private static Map<Integer, String> latestByKey(List<Message> messages) {
        Map<Integer, String> rows = new TreeMap<>();
        try {
            for (Message message : messages) {
                int id = JSON.readTree(message.key()).path("id").asInt();
                String value = message.value();
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
