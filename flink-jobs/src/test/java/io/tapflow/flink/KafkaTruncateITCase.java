package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.KafkaTopicReader.Message;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.PipelineExplainer;
import io.tapflow.flink.job.PipelineExplanation;
import io.tapflow.flink.job.RunningPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB TRUNCATE under the schema-change policy evolve into a real Kafka topic of three partitions: in
 * debezium-json it is Debezium's truncate event (no key, op "t", no before or after), written once to every partition,
 * after every row before it and before every row after it in that partition, at parallelism 1 and at parallelism 2
 * (where both sink subtasks write rows into every partition) with exactly-once delivery read by a read_committed
 * consumer. So a consumer reading all partitions that keeps the latest row per key and forgets a partition's rows at
 * its truncate message ends with the source's rows. In a union (two tables into one topic) the truncate message names
 * the truncated table in its source block, and a consumer forgets only that table's rows (json with an op field: the
 * message carries the rows' field that holds their source table). Plain json (deletes are
 * tombstones of keys the sink does not keep) writes nothing for it, and the log says so.
 */
class KafkaTruncateITCase {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int KEYS = 24;

    @TempDir
    Path checkpoints;

    @Test
    void aTruncateIsInEveryPartitionBetweenTheRowsBeforeAndAfterItAtParallelismOneAndTwo() throws Exception {
        String db = TestDatabases.freshName("kafka_tr");
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20))", "INSERT INTO t VALUES " + rows(1, KEYS, "snap"));
        DataSource p1 = KafkaTopicReader.datasource("k1-" + db).option("topic", "p1.{table}." + db).option("partitions", "3");
        DataSource p2 = KafkaTopicReader.datasource("k2-" + db).option("topic", "p2.{table}." + db).option("partitions", "3")
                .option("delivery", "exactly-once");
        String topic1 = "p1.t." + db;
        String topic2 = "p2.t." + db;
        assertThat(PipelineExplainer.explain(JobSpec.of(pipeline("tr-p1", src, p1, 1), src, p1)).schemaChanges())
                .as("explain says a topic takes a column change without DDL")
                .contains(new PipelineExplanation.SchemaChangeEffect("ADD COLUMN", "no DDL: messages carry the row's new shape from then on"));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             LogCapture coordinator = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeCoordinator"));
             RunningPipeline a = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline("tr-p1", src, p1, 1), src, p1)),
                     TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline("tr-p2", src, p2, 2), src, p2)),
                     TestDatabases.runOptions(checkpoints.resolve("b")))) {
            await(WAIT, () -> read(topic1, false).size() == KEYS && read(topic2, true).size() == KEYS, () -> "snapshot messages", a, b);
            TestDatabases.mysql(db, "UPDATE t SET a = 'before'", "INSERT INTO t VALUES " + rows(KEYS + 1, KEYS + 4, "before"),
                    "TRUNCATE TABLE t", "INSERT INTO t VALUES " + rows(1, KEYS / 2, "after"));
            int expected = KEYS + KEYS + 4 + 3 + KEYS / 2;
            await(WAIT, () -> read(topic1, false).size() == expected && read(topic2, true).size() == expected,
                    () -> read(topic1, false).size() + " / " + read(topic2, true).size() + " of " + expected, a, b);
            assertThat(log.text()).contains("tapflow[" + a.jobId() + "] schema change on " + db + ".t: TRUNCATE -> target: "
                    + "a truncate message (no key) written to every partition of the topic of t, in order with each "
                    + "partition's rows (the topic keeps its messages) (policy evolve)");
            assertThat(coordinator.text()).contains("target table t: TRUNCATE written after every sink subtask wrote the rows before it");
        }
        Map<String, String> source = IntStream.rangeClosed(1, KEYS / 2).boxed()
                .collect(Collectors.toMap(id -> "{\"id\":" + id + "}", id -> "after", (x, y) -> x, TreeMap::new));
        for (String topic : List.of(topic1, topic2)) {
            List<Message> messages = read(topic, topic.equals(topic2));
            for (int partition = 0; partition < 3; partition++) {
                int p = partition;
                List<String> values = messages.stream().filter(m -> m.partition() == p)
                        .map(m -> parse(m.value()).path("op").asText().equals("t") ? "TRUNCATE"
                                : parse(m.value()).path("after").path("a").asText()).toList();
                // Each partition holds rows from before and after the TRUNCATE, from both sink subtasks at parallelism 2.
                assertThat(values).as(topic + " partition " + p).containsOnlyOnce("TRUNCATE").contains("before", "after");
                int truncate = values.indexOf("TRUNCATE");
                assertThat(values.subList(0, truncate)).as(topic + " partition " + p).doesNotContain("after");
                assertThat(values.subList(truncate + 1, values.size())).as(topic + " partition " + p).containsOnly("after");
            }
            Message truncate = messages.stream().filter(m -> m.key() == null).findFirst().orElseThrow();
            JsonNode event = parse(truncate.value());
            assertThat(event.path("before").isNull() && event.path("after").isNull()).isTrue();
            assertThat(event.path("source").path("db").asText()).isEqualTo(db);
            assertThat(event.path("source").path("table").asText()).isEqualTo("t");
            assertThat(latestRows(messages)).as(topic).isEqualTo(source);
        }
    }

    @Test
    void aUnionsTruncateNamesItsTableAndPlainJsonReportsIt() throws Exception {
        String db = TestDatabases.freshName("kafka_tru");
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20))", "CREATE TABLE u (id INT PRIMARY KEY, a VARCHAR(20))",
                "INSERT INTO t VALUES " + rows(1, 6, "t"), "INSERT INTO u VALUES " + rows(101, 106, "u"));
        DataSource union = KafkaTopicReader.datasource("ku-" + db).option("topic", "union.{table}." + db).option("partitions", "3");
        DataSource json = KafkaTopicReader.datasource("kj-" + db).option("format", "json").option("topic", "json.{table}." + db);
        DataSource jsonOp = KafkaTopicReader.datasource("ko-" + db).option("format", "json").option("json.op-field", "__op")
                .option("topic", "op.{table}." + db);
        String unionTopic = "union.tu." + db;
        String jsonTopic = "json.t." + db;
        String opTopic = "op.tu." + db;
        Pipeline both = Pipeline.named("tr-union").readFrom(src.table("t"), src.table("u")).writeTo(union.table("tu"))
                .schemaChanges("evolve").parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        Pipeline marked = Pipeline.named("tr-union-op").readFrom(src.table("t"), src.table("u"))
                .addField("source_table", FieldValue.expression("table", FieldType.STRING)).writeTo(jsonOp.table("tu"))
                .schemaChanges("evolve").checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline a = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(both, src, union)),
                     TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline("tr-json", src, json, 1), src, json)),
                     TestDatabases.runOptions(checkpoints.resolve("b")));
             RunningPipeline c = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(marked, src, jsonOp)),
                     TestDatabases.runOptions(checkpoints.resolve("c")))) {
            await(WAIT, () -> read(unionTopic, false).size() == 12 && read(jsonTopic, false).size() == 6
                    && read(opTopic, false).size() == 12, () -> "snapshot messages", a, b, c);
            TestDatabases.mysql(db, "UPDATE u SET a = 'u2'", "TRUNCATE TABLE t", "INSERT INTO t VALUES " + rows(1, 2, "t-after"));
            await(WAIT, () -> read(unionTopic, false).size() == 12 + 6 + 3 + 2 && read(jsonTopic, false).size() == 8
                            && read(opTopic, false).size() == 12 + 6 + 1 + 2,
                    () -> read(unionTopic, false) + " / " + read(jsonTopic, false) + " / " + read(opTopic, false), a, b, c);
            assertThat(log.text()).contains("tapflow[" + a.jobId() + "] schema change on " + db + ".t: TRUNCATE -> target: "
                    + "a truncate message (no key) written to every partition of the topic of tu, in order with each partition's "
                    + "rows (the topic keeps its messages), naming " + db + ".t; other source tables write tu too: a consumer "
                    + "forgets only the rows of " + db + ".t (policy evolve)");
            assertThat(log.text()).contains("tapflow[" + b.jobId() + "] schema change on " + db + ".t: TRUNCATE -> target: ")
                    .contains(" keeps its rows (format json writes a delete as a tombstone of the row's key, and the sink "
                    + "keeps no keys of the rows it wrote, so no message is written; set option json.op-field");
        }
        List<Message> messages = read(unionTopic, false);
        List<Message> truncates = messages.stream().filter(m -> m.key() == null).toList();
        assertThat(truncates).extracting(Message::partition).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(truncates).allMatch(m -> parse(m.value()).path("source").path("table").asText().equals("t"));
        Map<String, String> expected = new TreeMap<>();
        IntStream.rangeClosed(101, 106).forEach(id -> expected.put("u/{\"id\":" + id + "}", "u2"));
        expected.put("t/{\"id\":1}", "t-after");
        expected.put("t/{\"id\":2}", "t-after");
        assertThat(latestRowsByTable(messages)).isEqualTo(expected);
        assertThat(read(jsonTopic, false)).allMatch(m -> m.key() != null && m.value() != null);
        // json has no source block: the truncate message carries the rows' field that holds their source table.
        assertThat(read(opTopic, false).stream().filter(m -> m.key() == null).map(Message::value))
                .containsExactly("{\"__op\":\"t\",\"source_table\":\"" + db + ".t\"}");
    }

    private static Pipeline pipeline(String name, DataSource src, DataSource target, int parallelism) {
        return Pipeline.named(name).readFrom(src.table("t")).writeTo(target).schemaChanges("evolve").parallelism(parallelism)
                .checkpointInterval(Duration.ofSeconds(1));
    }

    private static String rows(int from, int to, String a) {
        return IntStream.rangeClosed(from, to).mapToObj(id -> "(" + id + ", '" + a + "')").collect(Collectors.joining(", "));
    }

    /**
     * What a consumer holds that keeps the latest row per key and, at a partition's truncate message, forgets the rows
     * whose last message was in that partition (a key's messages are all in one partition).
     */
    private static Map<String, String> latestRows(List<Message> messages) {
        Map<String, String> rows = new TreeMap<>();
        Map<String, Integer> partitionOf = new TreeMap<>();
        for (Message m : messages) {
            JsonNode value = parse(m.value());
            switch (value.path("op").asText()) {
                case "t" -> partitionOf.forEach((key, p) -> {
                    if (p == m.partition()) {
                        rows.remove(key);
                    }
                });
                case "d" -> rows.remove(m.key());
                default -> {
                    rows.put(m.key(), value.path("after").path("a").asText());
                    partitionOf.put(m.key(), m.partition());
                }
            }
        }
        return rows;
    }

    /** As {@link #latestRows}, per source table (the source block's table): a truncate message forgets its table's rows only. */
    private static Map<String, String> latestRowsByTable(List<Message> messages) {
        Map<String, String> rows = new TreeMap<>();
        Map<String, Integer> partitionOf = new TreeMap<>();
        for (Message m : messages) {
            JsonNode value = parse(m.value());
            String table = value.path("source").path("table").asText();
            String key = table + "/" + m.key();
            switch (value.path("op").asText()) {
                case "t" -> partitionOf.forEach((k, p) -> {
                    if (p == m.partition() && k.startsWith(table + "/")) {
                        rows.remove(k);
                    }
                });
                case "d" -> rows.remove(key);
                default -> {
                    rows.put(key, value.path("after").path("a").asText());
                    partitionOf.put(key, m.partition());
                }
            }
        }
        return rows;
    }

    private static List<Message> read(String topic, boolean readCommitted) {
        return KafkaTopicReader.read(topic, readCommitted);
    }

    private static JsonNode parse(String json) {
        try {
            return ElasticsearchDocuments.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
