package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.KafkaTopicReader.Message;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB TRUNCATE under the schema-change policy evolve into a real Kafka: in debezium-json it is Debezium's truncate
 * event (no key, op "t", no before or after) between the messages of the rows before and after it, so a consumer that
 * keeps the latest row per key and forgets them all at the truncate ends with the source's rows. Plain json (deletes
 * are tombstones of keys the sink does not keep) writes nothing for it, and the log says so.
 */
class KafkaTruncateITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path checkpoints;

    @Test
    void aTruncateIsDebeziumsTruncateEventInOrderAndPlainJsonReportsIt() throws Exception {
        String db = TestDatabases.freshName("kafka_tr");
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20))", "INSERT INTO t VALUES (1, 'x'), (2, 'y')");
        DataSource debezium = KafkaTopicReader.datasource("kd-" + db).option("topic", "dbz.{table}." + db);
        DataSource json = KafkaTopicReader.datasource("kj-" + db).option("format", "json").option("topic", "json.{table}." + db);
        String dbzTopic = "dbz.t." + db;
        String jsonTopic = "json.t." + db;
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline a = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline("tr-dbz", src, debezium), src, debezium)),
                     TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline("tr-json", src, json), src, json)),
                     TestDatabases.runOptions(checkpoints.resolve("b")))) {
            await(WAIT, () -> messages(dbzTopic).size() == 2 && messages(jsonTopic).size() == 2, () -> "snapshot messages", a, b);
            TestDatabases.mysql(db, "INSERT INTO t VALUES (3, 'z')", "UPDATE t SET a = 'x2' WHERE id = 1", "TRUNCATE TABLE t",
                    "INSERT INTO t VALUES (4, 'after'), (1, 'again')");
            await(WAIT, () -> messages(dbzTopic).size() == 7 && messages(jsonTopic).size() == 6,
                    () -> messages(dbzTopic) + " / " + messages(jsonTopic), a, b);
            assertThat(log.text()).contains("tapflow[" + a.jobId() + "] schema change on " + db + ".t: TRUNCATE -> target: "
                    + "a truncate message (no key, partition 0) written to the topic of ").contains(", which keeps its messages (policy evolve)");
            assertThat(log.text()).contains("tapflow[" + b.jobId() + "] schema change on " + db + ".t: TRUNCATE -> target: ")
                    .contains(" keeps its rows (format json writes a delete as a tombstone of the row's key, and the sink "
                    + "keeps no keys of the rows it wrote, so no message is written; set option json.op-field");
        }

        List<Message> dbz = messages(dbzTopic);
        assertThat(dbz).extracting(m -> parse(m.value()).path("op").asText()).containsExactly("r", "r", "c", "u", "t", "c", "c");
        Message truncate = dbz.get(4);
        assertThat(truncate.key()).isNull();
        assertThat(truncate.partition()).isZero();
        JsonNode event = parse(truncate.value());
        assertThat(event.path("before").isNull()).isTrue();
        assertThat(event.path("after").isNull()).isTrue();
        assertThat(event.path("source").path("db").asText()).isEqualTo(db);
        assertThat(event.path("source").path("table").asText()).isEqualTo("t");
        assertThat(latestRows(dbz)).isEqualTo(Map.of("{\"id\":1}", "again", "{\"id\":4}", "after"));
        assertThat(messages(jsonTopic)).allMatch(m -> m.key() != null && m.value() != null);
    }

    private static Pipeline pipeline(String name, DataSource src, DataSource target) {
        return Pipeline.named(name).readFrom(src.table("t")).writeTo(target).schemaChanges("evolve")
                .checkpointInterval(Duration.ofSeconds(1));
    }

    /** What a consumer that keeps the latest row per key, and forgets every row at a truncate event, holds. */
    private static Map<String, String> latestRows(List<Message> messages) {
        Map<String, String> rows = new TreeMap<>();
        for (Message m : messages) {
            JsonNode value = parse(m.value());
            switch (value.path("op").asText()) {
                case "t" -> rows.clear();
                case "d" -> rows.remove(m.key());
                default -> rows.put(m.key(), value.path("after").path("a").asText());
            }
        }
        return rows;
    }

    private static List<Message> messages(String topic) {
        return KafkaTopicReader.read(topic, false);
    }

    private static JsonNode parse(String json) {
        try {
            return ElasticsearchDocuments.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
