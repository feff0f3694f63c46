package io.tapflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.sse.SseClient;
import io.tapflow.dsl.DataSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code GET /api/<name>/changes} of an API with {@code changes_from(topic)}: Server-Sent Events read from the Kafka
 * topic that carries the table's changes, so deletes are seen too (event {@code delete} with the key fields). Each
 * client has its own consumer (no group, nothing committed) that starts at the topic's end, or, with
 * {@code Last-Event-ID}, at the positions that event id names ({@code partition:next-offset,...}).
 */
final class TopicChangeStream implements AutoCloseable {
    private static final long KEEP_ALIVE_NANOS = 15_000_000_000L;
    private static final Pattern POSITIONS = Pattern.compile("\\d{1,6}:\\d{1,19}(,\\d{1,6}:\\d{1,19})*");
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tapflow-api-topic-changes");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** The positions of a Last-Event-ID, or a 400 when it is not one this stream sent. */
    static Map<Integer, Long> positions(String lastEventId) {
        if (lastEventId == null) {
            return null;
        }
        if (!POSITIONS.matcher(lastEventId).matches()) {
            throw ProblemException.badRequest("Last-Event-ID is not an id of this change stream; send the id of the last event received");
        }
        Map<Integer, Long> out = new TreeMap<>();
        for (String part : lastEventId.split(",")) {
            int colon = part.indexOf(':');
            out.put(Integer.parseInt(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)));
        }
        return out;
    }

    /** The consumer settings of a Kafka datasource: its brokers, bytes in and out, nothing committed. */
    static Properties consumerProperties(DataSource kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get("bootstrap-servers"));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // a transactional writer's aborted changes never show
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tapflow-api");
        return p;
    }

    /** Whether the topic exists; fails (a KafkaException) when the brokers cannot be reached. */
    static boolean topicExists(DataSource kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(kafka)) {
            List<PartitionInfo> partitions = c.partitionsFor(topic);
            return partitions != null && !partitions.isEmpty();
        }
    }

    void open(SseClient client, PublishedApi api, Map<Integer, Long> resumeAt) {
        client.keepAlive();
        TopicChanges changes = new TopicChanges(api.changesFrom(), api.api().fields(), api.key());
        String topic = api.api().changesFrom().topic();
        readers.submit(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(api.changesFrom())) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                consumer.assign(partitions);
                Map<Integer, Long> next = new TreeMap<>();
                for (TopicPartition p : partitions) {
                    if (resumeAt == null) {
                        consumer.seekToEnd(List.of(p));
                    } else {
                        // A partition the id does not name was added after it: all of it is new.
                        consumer.seek(p, resumeAt.getOrDefault(p.partition(), 0L));
                    }
                    next.put(p.partition(), consumer.position(p)); // fixes "from now" before the first event is awaited
                }
                client.sendComment("changes of " + api.name() + " from topic " + topic);
                long quietSince = System.nanoTime();
                while (!closed && !client.terminated()) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        next.put(r.partition(), r.offset() + 1);
                        send(client, changes, r, id(next));
                    }
                    // A client that left is only noticed when a write fails: a quiet topic still gets a comment now and then.
                    if (!records.isEmpty()) {
                        quietSince = System.nanoTime();
                    } else if (System.nanoTime() - quietSince > KEEP_ALIVE_NANOS) {
                        client.sendComment("no changes");
                        quietSince = System.nanoTime();
                    }
                }
            } catch (KafkaException | IllegalStateException e) {
                ApiLog.LOG.warn("change stream of API '{}' from topic '{}' stopped: {}", api.name(), topic, e.toString());
                client.close();
            }
        });
    }

    private static void send(SseClient client, TopicChanges changes, ConsumerRecord<byte[], byte[]> r, String id) {
        List<TopicChanges.Event> events;
        try {
            events = changes.events(parse(r.key()), parse(r.value()));
        } catch (IOException e) {
            // Not a change this stream can read: said on the stream, never dropped silently.
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("detail", "the message at partition " + r.partition() + " offset " + r.offset() + " is not JSON; skipped");
            client.sendEvent("error", problem, id);
            return;
        }
        events.forEach(e -> client.sendEvent(e.name(), e.data(), id));
    }

    private static JsonNode parse(byte[] bytes) throws IOException {
        return bytes == null ? null : JsonValues.EXACT_JSON.readTree(bytes);
    }

    private static String id(Map<Integer, Long> next) {
        StringBuilder out = new StringBuilder();
        next.forEach((p, o) -> out.append(out.length() == 0 ? "" : ",").append(p).append(':').append(o));
        return out.toString();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(DataSource kafka) {
        return new KafkaConsumer<>(consumerProperties(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        closed = true;
        readers.shutdown();
    }
}
