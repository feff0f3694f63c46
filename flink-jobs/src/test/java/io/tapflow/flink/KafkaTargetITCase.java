package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.KafkaTopicReader.Message;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB into a real Kafka 3.9: every type family in each format, value by value; inserts, updates, deletes and key
 * changes as each format writes them; exactly-once delivery seen by a read_committed consumer; the checks before
 * start; and the example pipeline file.
 */
class KafkaTargetITCase {
    private static final Path EXAMPLE = Path.of("..", "examples", "mysql-to-kafka.json");
    private static final Path BACK_EXAMPLE = Path.of("..", "examples", "kafka-to-postgres.json");

    @TempDir
    Path checkpoints;

    @Test
    void everyTypeFamilyArrivesExactlyInEachFormat() throws Exception {
        String db = TestDatabases.freshName("kafka_types");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE all_types (id INT PRIMARY KEY, " + TypeMappingITCase.COLUMNS + ")",
                "SET time_zone = '+05:30'", "INSERT INTO all_types VALUES (1, " + TypeMappingITCase.VALUES + ")");
        DataSource debezium = KafkaTopicReader.datasource("kd-" + db);
        DataSource canal = KafkaTopicReader.datasource("kc-" + db).option("format", "canal-json");
        DataSource json = KafkaTopicReader.datasource("kj-" + db).option("format", "json");
        JobPlan toDebezium = plan("types-debezium", mysql, debezium);
        JobPlan toCanal = plan("types-canal", mysql, canal);
        JobPlan toJson = plan("types-json", mysql, json);
        assertThat(toDebezium.createdTargetTables()).containsExactly("types-debezium." + db + ".all_types");

        try (RunningPipeline a = LocalPipelineRunner.start(toDebezium, TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(toCanal, TestDatabases.runOptions(checkpoints.resolve("b")));
             RunningPipeline c = LocalPipelineRunner.start(toJson, TestDatabases.runOptions(checkpoints.resolve("c")))) {
            await(Duration.ofMinutes(2), () -> messages("types-debezium." + db + ".all_types").size() == 1
                            && messages("types-canal." + db + ".all_types").size() == 1
                            && messages("types-json." + db + ".all_types").size() == 1,
                    () -> "snapshot messages missing", a, b, c);
            TestDatabases.mysql(db, "SET time_zone = '+05:30'", "INSERT INTO all_types VALUES (3, " + TypeMappingITCase.VALUES + ")");
            await(Duration.ofMinutes(1), () -> messages("types-debezium." + db + ".all_types").size() == 2
                            && messages("types-canal." + db + ".all_types").size() == 2
                            && messages("types-json." + db + ".all_types").size() == 2,
                    () -> "live messages missing", a, b, c);
        }

        List<JsonNode> dbz = values("types-debezium." + db + ".all_types");
        assertThat(dbz.get(0).path("op").asText()).isEqualTo("r");
        assertThat(dbz.get(0).path("after")).isEqualTo(AllTypesJson.row(1));
        assertThat(dbz.get(0).path("source").path("db").asText()).isEqualTo(db);
        assertThat(dbz.get(0).path("source").path("table").asText()).isEqualTo("all_types");
        assertThat(dbz.get(0).path("source").path("snapshot").asText()).isEqualTo("true");
        assertThat(dbz.get(1).path("op").asText()).isEqualTo("c");
        assertThat(dbz.get(1).path("before").isNull()).isTrue();
        assertThat(dbz.get(1).path("after")).isEqualTo(AllTypesJson.row(3));
        assertThat(dbz.get(1).path("source").path("ts_ms").asLong()).isPositive();

        List<JsonNode> canalValues = values("types-canal." + db + ".all_types");
        assertThat(canalValues.get(1).path("data").get(0)).isEqualTo(AllTypesJson.row(3));
        assertThat(canalValues.get(1).path("type").asText()).isEqualTo("INSERT");
        assertThat(canalValues.get(1).path("pkNames").toString()).isEqualTo("[\"id\"]");

        List<JsonNode> jsonValues = values("types-json." + db + ".all_types");
        assertThat(jsonValues).containsExactly(AllTypesJson.row(1), AllTypesJson.row(3));
        assertThat(messages("types-json." + db + ".all_types").get(1).key()).isEqualTo("{\"id\":3}");
    }

    @Test
    void updatesDeletesAndKeyChangesInEachFormatKeyedByTheTargetKey() throws Exception {
        String db = TestDatabases.freshName("kafka_changes");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(10,2))",
                "INSERT INTO item VALUES (1, 'a', 1.50), (2, 'b', 2.00)");
        DataSource debezium = KafkaTopicReader.datasource("kd-" + db).option("partitions", "3").option("topic", "cdc.{table}." + db);
        DataSource json = KafkaTopicReader.datasource("kj-" + db).option("format", "json").option("topic", "json.{table}." + db);
        JobPlan toDebezium = JobPlanner.plan(JobSpec.of(Pipeline.named("changes-dbz").readFrom(mysql.table("item"))
                .writeTo(debezium).checkpointInterval(Duration.ofSeconds(2)), mysql, debezium));
        JobPlan toJson = JobPlanner.plan(JobSpec.of(Pipeline.named("changes-json").readFrom(mysql.table("item"))
                .writeTo(json).checkpointInterval(Duration.ofSeconds(2)), mysql, json));
        String dbzTopic = "cdc.item." + db;
        String jsonTopic = "json.item." + db;

        try (RunningPipeline a = LocalPipelineRunner.start(toDebezium, TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(toJson, TestDatabases.runOptions(checkpoints.resolve("b")))) {
            await(Duration.ofMinutes(2), () -> messages(dbzTopic).size() == 2 && messages(jsonTopic).size() == 2,
                    () -> "snapshot messages: " + messages(dbzTopic), a, b);
            TestDatabases.mysql(db, "UPDATE item SET price = 1.75 WHERE id = 1", "DELETE FROM item WHERE id = 2",
                    "UPDATE item SET id = 10 WHERE id = 1", "UPDATE item SET name = 'x' WHERE id = 10");
            // The source splits the key change into a delete and an insert: 2 snapshot rows + 5 changes.
            await(Duration.ofMinutes(1), () -> messages(dbzTopic).size() == 7 && messages(jsonTopic).size() == 7,
                    () -> "messages: " + messages(dbzTopic) + " / " + messages(jsonTopic), a, b);
        }

        // Changes of one key stay in order in one partition.
        Map<String, List<String>> dbzOps = messages(dbzTopic).stream().collect(Collectors.groupingBy(Message::key,
                Collectors.mapping(m -> parse(m.value()).path("op").asText(), Collectors.toList())));
        assertThat(dbzOps).containsEntry("{\"id\":1}", List.of("r", "u", "d")).containsEntry("{\"id\":2}", List.of("r", "d"))
                .containsEntry("{\"id\":10}", List.of("c", "u"));
        assertThat(messages(dbzTopic).stream().collect(Collectors.groupingBy(Message::key,
                Collectors.mapping(Message::partition, Collectors.toSet()))).values()).allMatch(p -> p.size() == 1);
        JsonNode update = messages(dbzTopic).stream().map(m -> parse(m.value()))
                .filter(v -> v.path("op").asText().equals("u") && v.path("after").path("id").asInt() == 1).findFirst().orElseThrow();
        assertThat(update.path("before").toString()).isEqualTo("{\"id\":1,\"name\":\"a\",\"price\":\"1.50\"}");
        assertThat(update.path("after").toString()).isEqualTo("{\"id\":1,\"name\":\"a\",\"price\":\"1.75\"}");

        Map<String, List<String>> jsonByKey = messages(jsonTopic).stream().collect(Collectors.groupingBy(Message::key,
                Collectors.mapping(m -> String.valueOf(m.value()), Collectors.toList())));
        assertThat(jsonByKey.get("{\"id\":2}")).containsExactly("{\"id\":2,\"name\":\"b\",\"price\":\"2.00\"}", "null");
        assertThat(jsonByKey.get("{\"id\":1}")).endsWith("null");
        assertThat(jsonByKey.get("{\"id\":10}")).containsExactly("{\"id\":10,\"name\":\"a\",\"price\":\"1.75\"}",
                "{\"id\":10,\"name\":\"x\",\"price\":\"1.75\"}");
    }

    @Test
    void exactlyOnceMessagesBecomeVisibleToReadCommittedConsumersAtCheckpoints() throws Exception {
        String db = TestDatabases.freshName("kafka_eos");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)");
        DataSource kafka = KafkaTopicReader.datasource("k-" + db).option("delivery", "exactly-once").option("format", "json");
        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("eos-" + db).readFrom(mysql.table("t")).writeTo(kafka)
                .checkpointInterval(Duration.ofSeconds(2)), mysql, kafka));
        String topic = "eos-" + db + "." + db + ".t";
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> KafkaTopicReader.read(topic, true).size() == 3,
                    () -> "committed: " + KafkaTopicReader.read(topic, true), job);
            TestDatabases.mysql(db, "UPDATE t SET v = 20 WHERE id = 2");
            await(Duration.ofMinutes(1), () -> KafkaTopicReader.read(topic, true).size() == 4,
                    () -> "committed: " + KafkaTopicReader.read(topic, true), job);
        }
        assertThat(KafkaTopicReader.read(topic, true).stream().map(Message::value).toList()).containsExactly(
                "{\"id\":1,\"v\":1}", "{\"id\":2,\"v\":2}", "{\"id\":3,\"v\":3}", "{\"id\":2,\"v\":20}");
    }

    @Test
    void badTargetsAreReportedBeforeAnyTopicIsCreated() throws Exception {
        String db = TestDatabases.freshName("kafka_bad");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE u (id INT PRIMARY KEY)");
        DataSource down = DataSource.of("kafka", "down").option("bootstrap-servers", "127.0.0.1:1");
        assertThatThrownBy(() -> plan("bad-down", mysql, down, "t"))
                .hasMessage("Kafka datasource 'down' (127.0.0.1:1): no answer from the brokers within 10 s; check that"
                        + " Kafka runs and that bootstrap-servers is right");
        DataSource replicated = KafkaTopicReader.datasource("r-" + db).option("replication-factor", "3");
        assertThatThrownBy(() -> plan("bad-rf", mysql, replicated, "t"))
                .hasMessageContaining("option 'replication-factor' is 3 but the cluster has 1 broker(s); topics to create: bad-rf."
                        + db + ".t");
        DataSource badName = KafkaTopicReader.datasource("n-" + db).option("topic", "x/{table}");
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(Pipeline.named("bad-name").readFrom(mysql.table("t"), mysql.table("u"))
                        .writeTo(badName), mysql, badName)))
                .hasMessageContaining("target table t: topic name 'x/t' is not allowed by Kafka")
                .hasMessageContaining("target table u: topic name 'x/u' is not allowed by Kafka");
        assertThat(KafkaTopicReader.datasource("x").options()).isNotEmpty();
        assertThat(new io.tapflow.flink.connector.kafka.KafkaConnectorFactory().listTables(KafkaTopicReader.datasource("list")))
                .noneMatch(t -> t.startsWith("bad-rf.") || t.startsWith("x"));
    }

    @Test
    void theExamplePipelineFileRunsAsWritten() throws Exception {
        String db = TestDatabases.freshName("kafka_example");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20), amount DECIMAL(10,2))",
                "INSERT INTO orders VALUES (1, 'book', 12.50)");
        Pipeline example = DefinitionJson.pipeline(Files.readString(EXAMPLE), EXAMPLE.toString());
        DataSource shop = new DataSource(mysql.type(), "shop-mysql", mysql.options());
        DataSource events = new DataSource("kafka", "events", KafkaTopicReader.datasource("events").options());
        JobPlan plan = JobPlanner.plan(JobSpec.of(example, shop, events));
        String topic = "orders-to-kafka." + db + ".orders";
        assertThat(plan.createdTargetTables()).containsExactly(topic);
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints.resolve("out")))) {
            await(Duration.ofMinutes(2), () -> messages(topic).size() == 1, () -> "messages: " + messages(topic), job);
            TestDatabases.mysql(db, "INSERT INTO orders VALUES (2, 'pen', 1.20)");
            await(Duration.ofMinutes(2), () -> messages(topic).size() == 2, () -> "messages: " + messages(topic), job);
        }
        assertThat(values(topic).stream().map(v -> v.path("after").path("amount").asText()).toList()).containsExactly("12.50", "1.20");

        // The second example reads that topic (by regex) back into PostgreSQL.
        Pipeline back = DefinitionJson.pipeline(Files.readString(BACK_EXAMPLE), BACK_EXAMPLE.toString());
        DataSource pg = TestDatabases.postgresTarget(db);
        DataSource warehouse = new DataSource(pg.type(), "warehouse", pg.options());
        JobPlan backPlan = JobPlanner.plan(JobSpec.of(back, events, warehouse));
        try (RunningPipeline job = LocalPipelineRunner.start(backPlan, TestDatabases.runOptions(checkpoints.resolve("back")))) {
            await(Duration.ofMinutes(2), () -> PgRows.read(db, "orders", "id").size() == 2,
                    () -> "orders in PostgreSQL: " + PgRows.read(db, "orders", "id"), job);
        }
        assertThat(PgRows.read(db, "orders", "id").toString())
                .isEqualTo("[{id=1, item=book, amount=12.50}, {id=2, item=pen, amount=1.20}]");
    }

    @Test
    void aRestoredAtLeastOncePipelineLosesNoChange() throws Exception {
        String db = TestDatabases.freshName("kafka_restore");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)");
        DataSource kafka = KafkaTopicReader.datasource("k-" + db).option("format", "json");
        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("restore-" + db).readFrom(mysql.table("t")).writeTo(kafka)
                .checkpointInterval(Duration.ofMillis(500)), mysql, kafka));
        String topic = "restore-" + db + "." + db + ".t";
        try (RunningPipeline first = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> messages(topic).size() == 3, () -> "messages: " + messages(topic), first);
            long snapshotDone = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints)
                    .map(p -> Checkpoints.completedAtMillis(p) > snapshotDone).orElse(false), () -> "no checkpoint", first);
            first.cancel(Duration.ofSeconds(30));
        }
        // Changes while no job runs: the restored job must find them in the binlog and send every one.
        TestDatabases.mysql(db, "INSERT INTO t VALUES (4, 4)", "UPDATE t SET v = 20 WHERE id = 2", "DELETE FROM t WHERE id = 3");
        Path checkpoint = Checkpoints.latest(checkpoints).orElseThrow();
        try (RunningPipeline second = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints).withRestoreFrom(checkpoint))) {
            await(Duration.ofMinutes(1), () -> latestByKey(topic).equals(Map.of("{\"id\":1}", "{\"id\":1,\"v\":1}",
                            "{\"id\":2}", "{\"id\":2,\"v\":20}", "{\"id\":3}", "null", "{\"id\":4}", "{\"id\":4,\"v\":4}")),
                    () -> "latest by key: " + latestByKey(topic), second);
        }
    }

    /** What a compacted topic would keep: the last value per key ("null" for a tombstone). */
    private static Map<String, String> latestByKey(String topic) {
        Map<String, String> latest = new java.util.TreeMap<>();
        messages(topic).forEach(m -> latest.put(m.key(), String.valueOf(m.value())));
        return latest;
    }

    private static JobPlan plan(String pipeline, DataSource mysql, DataSource kafka) {
        return plan(pipeline, mysql, kafka, "all_types");
    }

    private static JobPlan plan(String pipeline, DataSource mysql, DataSource kafka, String table) {
        return JobPlanner.plan(JobSpec.of(Pipeline.named(pipeline).readFrom(mysql.table(table)).writeTo(kafka)
                .checkpointInterval(Duration.ofSeconds(2)), mysql, kafka));
    }

    private static List<Message> messages(String topic) {
        return KafkaTopicReader.read(topic, false);
    }

    private static List<JsonNode> values(String topic) {
        return messages(topic).stream().map(m -> parse(m.value())).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return ElasticsearchDocuments.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
