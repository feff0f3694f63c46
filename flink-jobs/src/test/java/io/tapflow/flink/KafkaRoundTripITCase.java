package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB → Kafka → PostgreSQL with two pipelines: after the snapshot and live inserts, updates, deletes and a key
 * change, the PostgreSQL table equals the MariaDB table row for row, through debezium-json and through json with
 * tombstones. A malformed message on the topic goes to the dead letters with its topic, partition and offset.
 */
class KafkaRoundTripITCase {
    private static final String COLUMNS = "id, name, price, qty";

    @TempDir
    Path checkpoints;

    @Test
    void debeziumJsonRoundTripEqualsTheSource() throws Exception {
        roundTrip("debezium-json", false);
    }

    @Test
    void jsonWithTombstonesRoundTripEqualsTheSourceAndAMalformedMessageIsADeadLetter() throws Exception {
        roundTrip("json", true);
    }

    private void roundTrip(String format, boolean withBadMessage) throws Exception {
        String db = TestDatabases.freshName("kafka_trip");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        DataSource kafka = KafkaTopicReader.datasource("k-" + db).option("format", format);
        TestDatabases.mysql(db, "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(10,2), qty INT)",
                "INSERT INTO item VALUES (1, 'a', 1.50, 1), (2, 'b', 2.00, 2), (3, NULL, 3.25, 3), (4, 'd', 0.10, NULL)");
        String out = "out-" + db;
        String topic = out + "." + db + ".item";
        JobPlan toKafka = JobPlanner.plan(JobSpec.of(Pipeline.named(out).readFrom(mysql.table("item")).writeTo(kafka)
                .checkpointInterval(Duration.ofSeconds(2)), mysql, kafka));

        try (RunningPipeline a = LocalPipelineRunner.start(toKafka, TestDatabases.runOptions(checkpoints.resolve("a")))) {
            await(Duration.ofMinutes(2), () -> KafkaTopicReader.read(topic, false).size() == 4, () -> "snapshot not in Kafka", a);
            Pipeline back = Pipeline.named("in-" + db).readFrom(kafka.table(topic)).writeTo(pg.table("item"))
                    .checkpointInterval(Duration.ofSeconds(2));
            if (format.equals("json")) {
                back = back.key("id");
                // Messages without a JSON key and a pipeline without a key: nothing says which fields identify a row.
                String keyless = "keyless-" + db;
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers()))) {
                    admin.createTopics(List.of(new NewTopic(keyless, 1, (short) 1))).all().get();
                }
                produce(keyless, null, "{\"id\":1}");
                assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(Pipeline.named("nokey-" + db).readFrom(kafka.table(keyless))
                        .writeTo(pg.table("nokey")), kafka, pg)))
                        .hasMessageContaining("topic '" + keyless + "': no key fields; format json needs the pipeline's key");
                assertThat(PgRows.tableExists(db, "nokey")).isFalse();
            }
            if (withBadMessage) {
                back = back.onError(ErrorPolicy.deadLetter(pg.table("errors")));
            }
            JobPlan toPg = JobPlanner.plan(JobSpec.of(back, kafka, pg));
            try (RunningPipeline b = LocalPipelineRunner.start(toPg, TestDatabases.runOptions(checkpoints.resolve("b")))) {
                TestDatabases.mysql(db, "INSERT INTO item VALUES (5, 'e', 5.55, 5)", "UPDATE item SET price = 9.99, name = 'A' WHERE id = 1",
                        "DELETE FROM item WHERE id = 2", "UPDATE item SET id = 30 WHERE id = 3", "UPDATE item SET qty = 40 WHERE id = 4");
                if (withBadMessage) {
                    produce(topic, "{\"id\":1}", "this is not json");
                }
                Map<String, List<String>> source = rows(SharedServers.mariaDb().connectAsAdmin(db));
                await(Duration.ofMinutes(2), () -> source.equals(pgRows(db)),
                        () -> "PostgreSQL " + pgRows(db) + " vs MariaDB " + source, a, b);
                if (withBadMessage) {
                    await(Duration.ofMinutes(1), () -> !PgRows.read(db, "errors", "id").isEmpty(), () -> "no dead letter", a, b);
                }
            }
        }
        assertThat(pgRows(db)).containsOnlyKeys("1", "30", "4", "5");
        if (withBadMessage) {
            Map<String, String> error = PgRows.read(db, "errors", "id").get(0);
            assertThat(error).containsEntry("step", "source").containsEntry("source_table", "kafka." + topic);
            assertThat(error.get("row_key")).startsWith("{topic=" + topic + ", partition=0, offset=");
            assertThat(error.get("row_json")).contains("\"value\":\"this is not json\"");
            assertThat(error.get("error")).contains("cannot be read as json: the message value is not JSON");
        }
    }

    private static void produce(String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static Map<String, List<String>> pgRows(String db) {
        try {
            return rows(SharedServers.postgres().connect(db));
        } catch (Exception e) {
            return Map.of("error", List.of(e.getMessage()));
        }
    }

    /** The item rows by id, every column as text. */
    private static Map<String, List<String>> rows(Connection connection) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>();
        try (Connection c = connection; Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM item")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new java.util.ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.put(rs.getString(1), row);
            }
        }
        return rows;
    }
}
