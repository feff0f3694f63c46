package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tapflow Kafka source passes a truncate message on as a TRUNCATE of the topic's table, under the schema-change
 * policy evolve, into PostgreSQL at parallelism 2: debezium-json's op "t", canal-json's TRUNCATE message and json's op
 * field "t", each in a topic of one partition, empty the target table at their position among the rows. A topic of
 * three partitions (a truncate message in each, as tapflow's Kafka target writes it) has no one position for it: it
 * is reported and the target keeps its rows. So is one in a topic of one partition that two source tables' messages
 * share (a union topic): the truncate message of one of them must not delete the other's rows.
 */
class KafkaSourceTruncateITCase {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path checkpoints;

    @Test
    void aTruncateMessageEmptiesTheTargetTableInEachFormat() throws Exception {
        String db = TestDatabases.freshName("ksrc_tr");
        String dbz = db + "_dbz";
        String canal = db + "_canal";
        String json = db + "_json";
        String multi = db + "_multi";
        String union = db + "_union";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(dbz, 1, (short) 1), new NewTopic(canal, 1, (short) 1),
                    new NewTopic(json, 1, (short) 1), new NewTopic(multi, 3, (short) 1),
                    new NewTopic(union, 1, (short) 1))).all().get();
        }
        for (int id = 1; id <= 4; id++) {
            row(dbz, canal, json, multi, id, "v" + id);
            unionRow(union, id, "v" + id);
        }
        DataSource pg = TestDatabases.postgresTarget(db);
        DataSource dbzSource = KafkaTopicReader.datasource("kdbz-" + db);
        DataSource canalSource = KafkaTopicReader.datasource("kcanal-" + db).option("format", "canal-json");
        DataSource jsonSource = KafkaTopicReader.datasource("kjson-" + db).option("format", "json").option("json.op-field", "__op");
        Pipeline p = Pipeline.named("ksrc-tr-" + db).readFrom(dbzSource.table(dbz), dbzSource.table(multi), dbzSource.table(union), canalSource.table(canal),
                        jsonSource.table(json)).writeTo(pg).schemaChanges("evolve").parallelism(2)
                .checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, dbzSource, canalSource, jsonSource, pg)),
                     TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> List.of(dbz, canal, json, multi, union).stream().allMatch(t -> rows(db, t).size() == 4),
                    () -> "snapshot rows", job);
            row(dbz, canal, json, multi, 1, "before");
            unionRow(union, 1, "before");
            truncate(union, "{\"before\":null,\"after\":null,\"source\":{\"db\":\"s\",\"table\":\"odd\"},\"op\":\"t\",\"ts_ms\":2}", 0);
            truncate(dbz, "{\"before\":null,\"after\":null,\"source\":{\"connector\":\"tapflow\",\"db\":\"s\",\"table\":\"t\"},"
                    + "\"op\":\"t\",\"ts_ms\":2}", 0);
            truncate(canal, "{\"data\":null,\"old\":null,\"database\":\"s\",\"table\":\"t\",\"pkNames\":[\"id\"],\"isDdl\":true,"
                    + "\"sql\":\"TRUNCATE TABLE s.t\",\"type\":\"TRUNCATE\",\"es\":2,\"ts\":2}", 0);
            truncate(json, "{\"__op\":\"t\"}", 0);
            for (int partition = 0; partition < 3; partition++) {
                truncate(multi, "{\"before\":null,\"after\":null,\"source\":{\"db\":\"s\",\"table\":\"t\"},\"op\":\"t\",\"ts_ms\":2}", partition);
            }
            row(dbz, canal, json, multi, 5, "after");
            row(dbz, canal, json, multi, 2, "again");
            unionRow(union, 5, "after");
            unionRow(union, 2, "again");
            Map<Integer, String> afterTruncate = Map.of(2, "again", 5, "after");
            // The topics whose truncate must not be applied keep every row: waited for as a whole, since the three
            // partitions of one are read at their own pace (a wrongly applied truncate never gets there: rows 3 and 4
            // would be gone for good, and the wait fails showing them).
            Map<Integer, String> allKept = Map.of(1, "before", 2, "again", 3, "v3", 4, "v4", 5, "after");
            await(WAIT, () -> List.of(dbz, canal, json).stream().allMatch(t -> rows(db, t).equals(afterTruncate))
                            && rows(db, multi).equals(allKept) && rows(db, union).equals(allKept),
                    () -> List.of(dbz, canal, json, multi, union).stream().map(t -> t + "=" + rows(db, t)).toList().toString(), job);
            for (String topic : List.of(dbz, canal, json)) {
                assertThat(log.text()).contains("schema change on kafka." + topic + ": TRUNCATE -> target: every row of "
                        + topic + " deleted (policy evolve)");
            }
            assertThat(log.text()).contains("schema change on kafka." + multi + ": TRUNCATE -> target: " + multi
                    + " keeps its rows (a truncate message in partition ").contains(" of topic " + multi + ", which has 3 "
                    + "partitions: each partition's is read at its own moment, among the other partitions' rows, so no one "
                    + "position empties the target; a topic of one partition passes its truncate messages on) (policy evolve)");
            assertThat(log.text()).containsPattern("tapflow\\[[0-9a-f]+\\] schema change on kafka." + union + ": TRUNCATE -> target: "
                    + union + " keeps its rows \\(a truncate message of s.odd in topic " + union + ", whose rows before it also "
                    + "named s.even: the topic is read as one table, so emptying it would delete those rows too; delete "
                    + "s.odd's rows at the target yourself, or give each source table a topic of its own\\) \\(policy evolve\\)");
        }
    }

    /** The row as each format's message, keyed {"id":n}, into each topic. */
    private static void row(String dbz, String canal, String json, String multi, int id, String a) throws Exception {
        String row = "{\"id\":" + id + ",\"a\":\"" + a + "\"}";
        String key = "{\"id\":" + id + "}";
        String debezium = "{\"before\":null,\"after\":" + row + ",\"source\":{\"db\":\"s\",\"table\":\"t\"},\"op\":\"c\",\"ts_ms\":1}";
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(record(dbz, null, key, debezium)).get();
            producer.send(record(multi, null, key, debezium)).get();
            producer.send(record(canal, null, key, "{\"data\":[" + row + "],\"old\":null,\"database\":\"s\",\"table\":\"t\","
                    + "\"pkNames\":[\"id\"],\"isDdl\":false,\"type\":\"INSERT\",\"es\":1,\"ts\":1}")).get();
            producer.send(record(json, null, key, "{\"id\":" + id + ",\"a\":\"" + a + "\",\"__op\":\"c\"}")).get();
        }
    }

    /** The row as debezium-json of source table s.odd or s.even (by its id), into the union topic. */
    private static void unionRow(String union, int id, String a) throws Exception {
        String value = "{\"before\":null,\"after\":{\"id\":" + id + ",\"a\":\"" + a + "\"},\"source\":{\"db\":\"s\","
                + "\"table\":\"" + (id % 2 == 1 ? "odd" : "even") + "\"},\"op\":\"c\",\"ts_ms\":1}";
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(record(union, null, "{\"id\":" + id + "}", value)).get();
        }
    }

    private static void truncate(String topic, String value, int partition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(record(topic, partition, null, value)).get();
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Integer partition, String key, String value) {
        return new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The target table's rows, id to a; empty while the table is missing. */
    private static Map<Integer, String> rows(String db, String table) {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, a FROM \"" + table + "\"")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        } catch (Exception e) {
            return Map.of();
        }
        return rows;
    }
}
