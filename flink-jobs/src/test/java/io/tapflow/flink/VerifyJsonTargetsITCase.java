package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.verify.Difference;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.flink.verify.VerifyReport;
import io.tapflow.servers.SharedServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapflow verify} with Elasticsearch and Kafka targets (the real servers the build starts): every MySQL type
 * family and a composite text key whose binary order differs from its collation order verify equal, as the sinks
 * write them; a document or message changed, deleted or added behind the pipeline's back is found exactly.
 */
class VerifyJsonTargetsITCase {
    private static final String PAIRS = "CREATE TABLE pairs (region VARCHAR(8), id INT, note VARCHAR(20), PRIMARY KEY (region, id))";
    private static final String PAIR_ROWS = "INSERT INTO pairs VALUES ('eu', 1, 'a'), ('Fr', 2, 'b'), ('Us', 3, 'c'), "
            + "('\u00e9z', 4, 'd'), ('b', 5, 'e'), ('eu', 10, 'f'), ('eu', 9, 'g')";

    @TempDir
    Path checkpoints;

    @Test
    void elasticsearchIndicesVerifyEqualAndDriftedDocumentsAreFound() throws Exception {
        String db = TestDatabases.freshName("verifyes");
        DataSource mysql = source(db);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        Pipeline pipeline = Pipeline.named("verify-es-" + db).readFrom(mysql.table("all_types"), mysql.table("pairs")).writeTo(es);
        JobSpec spec = JobSpec.of(pipeline, mysql, es);
        replicate(spec, () -> ElasticsearchDocuments.documents(db + "_all_types").size() == 2
                && ElasticsearchDocuments.documents(db + "_pairs").size() == 7);

        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(equal.tables()).extracting(TableReport::matched).containsExactly(2L, 7L);

        ElasticsearchDocuments.request("POST", "/" + db + "_all_types/_update/1?refresh=true",
                "{\"doc\": {\"t_dec\": \"1234567890123456789012345678.0123456788\"}}");
        ElasticsearchDocuments.request("DELETE", "/" + db + "_pairs/_doc/" + java.net.URLEncoder.encode("[\"Us\",3]",
                StandardCharsets.UTF_8) + "?refresh=true", null);
        ElasticsearchDocuments.request("PUT", "/" + db + "_pairs/_doc/" + java.net.URLEncoder.encode("[\"eu\",7]",
                StandardCharsets.UTF_8) + "?refresh=true", "{\"region\": \"eu\", \"id\": 7, \"note\": \"x\"}");
        VerifyReport drift = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(drift.tables().get(0).examples()).extracting(VerifyJsonTargetsITCase::describe)
                .containsExactly("DIFFERENT {id=1} [t_dec]");
        assertThat(drift.tables().get(1).examples()).extracting(VerifyJsonTargetsITCase::describe)
                .containsExactly("MISSING {region=Us, id=3} []", "EXTRA {region=eu, id=7} []");
        assertThat(drift.tables()).extracting(TableReport::matched).containsExactly(1L, 6L);
    }

    @Test
    void kafkaTopicsVerifyAsTheirLatestMessagePerKeyAndDriftedMessagesAreFound() throws Exception {
        String db = TestDatabases.freshName("verifykafka");
        DataSource mysql = source(db);
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db);
        String name = "verify-kafka-" + db;
        Pipeline pipeline = Pipeline.named(name).readFrom(mysql.table("all_types"), mysql.table("pairs")).writeTo(kafka);
        JobSpec spec = JobSpec.of(pipeline, mysql, kafka);
        String types = name + "." + db + ".all_types";
        String pairs = name + "." + db + ".pairs";
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> KafkaTopicReader.read(pairs, false).size() == 7, () -> "pair messages", job);
            // Changes after the snapshot: the topic keeps every message; the latest one per key is the row.
            TestDatabases.mysql(db, "UPDATE pairs SET note = 'changed' WHERE region = 'eu' AND id = 1",
                    "DELETE FROM pairs WHERE region = 'b'", "UPDATE all_types SET t_varchar = 'new' WHERE id = 2");
            await(Duration.ofMinutes(1), () -> KafkaTopicReader.read(pairs, false).size() == 9
                    && KafkaTopicReader.read(types, false).size() == 3, () -> "change messages", job);
        }
        VerifyReport equal = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(equal.equal()).as("%s", equal).isTrue();
        assertThat(equal.tables()).extracting(TableReport::matched).containsExactly(2L, 6L);

        // Behind the pipeline's back: a newer message for a key with a changed field, a delete, and an unknown key.
        String latest = KafkaTopicReader.read(types, false).stream().filter(m -> m.key().equals("{\"id\":1}"))
                .reduce((a, b) -> b).orElseThrow().value();
        ObjectNode changed = (ObjectNode) ElasticsearchDocuments.JSON.readTree(latest);
        ((ObjectNode) changed.path("after")).put("t_double", 3.14);
        produce(types, "{\"id\":1}", changed.toString());
        produce(pairs, "{\"region\":\"Fr\",\"id\":2}", "{\"before\":{\"region\":\"Fr\",\"id\":2,\"note\":\"b\"},\"after\":null,\"op\":\"d\"}");
        produce(pairs, "{\"region\":\"zz\",\"id\":1}", "{\"before\":null,\"after\":{\"region\":\"zz\",\"id\":1,\"note\":\"z\"},\"op\":\"c\"}");
        VerifyReport drift = Verifier.verify(spec, VerifyOptions.rows());
        assertThat(drift.tables().get(0).examples()).extracting(VerifyJsonTargetsITCase::describe)
                .containsExactly("DIFFERENT {id=1} [t_double]");
        assertThat(drift.tables().get(1).examples()).extracting(VerifyJsonTargetsITCase::describe)
                .containsExactly("MISSING {region=Fr, id=2} []", "EXTRA {region=zz, id=1} []");
        assertThat(drift.tables()).extracting(TableReport::matched).containsExactly(1L, 5L);
    }

    /** Every MySQL type family (one full row, one of NULLs) and the composite text key table. */
    private static DataSource source(String db) throws Exception {
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE all_types (id INT PRIMARY KEY, " + TypeMappingITCase.COLUMNS + ")",
                "SET time_zone = '+05:30'", "INSERT INTO all_types VALUES (1, " + TypeMappingITCase.VALUES + ")",
                "INSERT INTO all_types (id) VALUES (2)", PAIRS, PAIR_ROWS);
        return mysql;
    }

    private static String describe(Difference d) {
        return d.kind() + " " + d.keyText() + " " + d.fields().stream().map(Difference.FieldDifference::field).toList();
    }

    /** Runs the pipeline until the target holds the rows, then stops it. */
    private void replicate(JobSpec spec, BooleanSupplier done) throws Exception {
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), done, () -> "target not complete yet", job);
        }
    }

    private static void produce(String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}
