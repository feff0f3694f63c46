package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.KafkaTopicReader.Message;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot rows' forward path (no keyed exchange for them at parallelism 2) into MongoDB, Elasticsearch and Kafka:
 * the reader's task writes the snapshot rows, and with changes made all through the snapshot and after the switch to
 * the change stream, every key ends as it is in the source; into Kafka, no change of a key comes before its snapshot
 * row in the topic.
 */
class SnapshotForwardingTargetsITCase {
    private static final int ROWS = 3_000;

    @TempDir
    Path checkpoints;

    @Test
    void mongoDb() throws Exception {
        String db = TestDatabases.freshName("fwd_mongo");
        DataSource mongo = TestDatabases.mongoTarget(db);
        runWithChanges(db, mongo, () -> comparable(CustomerTables.readMongo(db, "customer")));
    }

    @Test
    void elasticsearch() throws Exception {
        String db = TestDatabases.freshName("fwd_es");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        runWithChanges(db, es, () -> {
            Map<Integer, String> rows = new TreeMap<>();
            ElasticsearchDocuments.documents(db + "_customer").forEach((id, doc) -> rows.put(Integer.valueOf(id),
                    comparable(text(doc.path("note")), doc.path("score").asDouble(),
                            doc.path("status").asText())));
            return rows;
        });
    }

    @Test
    void kafka() throws Exception {
        String db = TestDatabases.freshName("fwd_kafka");
        // Exactly once: the snapshot rows' sink and the keyed sink must not fence each other's transactional producers.
        DataSource kafka = KafkaTopicReader.datasource("k-" + db).option("delivery", "exactly-once");
        String topic = "fwd-" + db + "." + db + ".customer";
        runWithChanges(db, kafka, () -> finalRows(KafkaTopicReader.read(topic, true)));

        Map<String, List<String>> opsByKey = new HashMap<>();
        for (Message m : KafkaTopicReader.read(topic, true)) {
            if (m.value() != null) {
                opsByKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(json(m.value()).path("op").asText());
            }
        }
        assertThat(opsByKey.values().stream().filter(ops -> ops.contains("r"))).as("keys with a snapshot row").hasSizeGreaterThan(ROWS / 2);
        opsByKey.forEach((key, ops) -> {
            int firstChange = ops.size();
            for (int i = ops.size() - 1; i >= 0; i--) {
                firstChange = ops.get(i).equals("r") ? firstChange : i;
            }
            assertThat(ops.lastIndexOf("r")).as("key %s: no change before its snapshot row: %s", key, ops).isLessThan(firstChange);
        });
    }

    /**
     * Runs the customer pipeline at parallelism 2 into the target while a writer changes the source through the
     * snapshot and for a few seconds after it, then waits until the target (read by {@code target}) equals the source.
     */
    private void runWithChanges(String db, DataSource target, Supplier<Map<Integer, String>> targetRows) throws Exception {
        Random random = new Random(db.hashCode());
        DataSource mysql = TestDatabases.mysqlSource(db).option("snapshot.chunk-size", 200);
        CustomerTables.createWithRows(db, ROWS, random);
        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("fwd-" + db).readFrom(mysql.table("customer")).writeTo(target)
                .parallelism(2).checkpointInterval(Duration.ofSeconds(1)), mysql, target));
        assertThat(SnapshotForwardingITCase.vertexNames(plan)).as("the reader's task writes the snapshot rows (no exchange)")
                .anyMatch(v -> v.startsWith("Source") && v.contains("(snapshot rows)"));

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> changeUntil(db, random, stop));
            await(Duration.ofMinutes(2), () -> targetRows.get().size() >= ROWS * 9 / 10,
                    () -> targetRows.get().size() + " rows in the target", job);
            Thread.sleep(3_000);
            stop.set(true);
            assertThat(writer.get()).as("changes made").isPositive();
            Map<Integer, String> source = comparable(CustomerTables.readMariaDb(db));
            await(Duration.ofMinutes(2), () -> source.equals(targetRows.get()),
                    () -> "target has " + targetRows.get().size() + " rows, source " + source.size() + "; differing ids: "
                            + source.keySet().stream().filter(id -> !source.get(id).equals(targetRows.get().get(id))).limit(5).toList(),
                    job);
        }
    }

    /** Random inserts, updates and deletes until told to stop. */
    private static int changeUntil(String db, Random random, AtomicBoolean stop) {
        int changes = 0;
        int nextId = ROWS + 1;
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
            while (!stop.get()) {
                nextId = CustomerTables.randomChange(c, random, nextId, 1);
                changes++;
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    /** The row state each key's messages leave, in offset order: a delete removes the key, a tombstone changes nothing. */
    private static Map<Integer, String> finalRows(List<Message> messages) {
        Map<Integer, String> rows = new TreeMap<>();
        for (Message m : messages) {
            if (m.value() == null) {
                continue;
            }
            JsonNode value = json(m.value());
            JsonNode row = value.path("op").asText().equals("d") ? value.path("before") : value.path("after");
            if (value.path("op").asText().equals("d")) {
                rows.remove(row.path("id").asInt());
            } else {
                rows.put(row.path("id").asInt(), comparable(text(row.path("note")),
                        row.path("score").asDouble(), row.path("status").asText()));
            }
        }
        return rows;
    }

    /** The columns every change touches (note, score, status), which tell an updated row from its snapshot row. */
    private static Map<Integer, String> comparable(Map<Integer, Map<String, String>> rows) {
        Map<Integer, String> out = new TreeMap<>();
        rows.forEach((id, row) -> out.put(id, comparable(row.get("note"), Double.parseDouble(row.get("score")), row.get("status"))));
        return out;
    }

    private static String comparable(String note, double score, String status) {
        return note + "|" + score + "|" + status;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static JsonNode json(String text) {
        try {
            return ElasticsearchDocuments.JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
