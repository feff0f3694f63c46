package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.debezium.JsonDebeziumDeserializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed columns for a Kafka source: from the Connect schema of messages Debezium itself wrote (Flink CDC's MySQL
 * source with Debezium's JSON converter, schemas on), and declared in the datasource for plain json; a value its
 * declared column cannot hold goes to the dead letters with the reason and the message's offset.
 */
class KafkaSourceColumnsITCase {
    @TempDir
    Path checkpoints;

    @Test
    void debeziumSchemaGivesTypedColumnsAndExactValuesInPostgres() throws Exception {
        String db = TestDatabases.freshName("dbzschema");
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysqlSource(db); // creates the database
        TestDatabases.mysql(db, "CREATE TABLE typed (id INT PRIMARY KEY, qty SMALLINT, price DECIMAL(10,2), big DECIMAL(30,10),"
                        + " share DOUBLE, code VARCHAR(20), day DATE, at DATETIME(6), paid TIMESTAMP(6) NULL, took TIME(6), doc JSON,"
                        + " raw VARBINARY(10))",
                "SET time_zone = '+00:00'",
                "INSERT INTO typed VALUES (1, -32768, -12.50, 12345678901234567890.0123456789, 4.9e-324, '😀', '1000-01-01',"
                        + " '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '-838:59:59', '{\"k\": [1, 2.5]}', x'00ff'),"
                        + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        String topic = "dbz-" + db;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        JobClient debezium = debeziumIntoKafka(db, topic);
        try {
            await(Duration.ofMinutes(2), () -> KafkaTopicReader.read(topic, false).size() == 2, () -> "Debezium's snapshot");
            assertThat(KafkaTopicReader.read(topic, false).get(0).value()).startsWith("{\"schema\":{");

            DataSource kafka = KafkaTopicReader.datasource("k-" + db);
            Pipeline pipeline = Pipeline.named("dbz-" + db).readFrom(kafka.table(topic)).writeTo(pg.table("typed")).key("id");
            // The schema gives the columns: a declaration as well would be ignored, so it is refused.
            DataSource declared = kafka.option("columns", "id int");
            assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(pipeline, declared, pg)))
                    .isInstanceOf(TapflowException.class)
                    .hasMessageContaining("topic '" + topic + "': its messages carry a Debezium/Connect schema, which gives its"
                            + " columns; remove option 'columns'");
            try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, kafka, pg)),
                    TestDatabases.runOptions(checkpoints))) {
                await(Duration.ofMinutes(2), () -> ValueEdgesTargetsITCase.readPostgres(db, "typed").size() == 2,
                        () -> "rows " + ValueEdgesTargetsITCase.readPostgres(db, "typed").keySet(), job);
                TestDatabases.mysql(db, "SET time_zone = '+00:00'",
                        "INSERT INTO typed VALUES (3, 32767, 99999999.99, -0.0000000001, 1.5, 'x', '2024-02-29',"
                                + " '1969-12-31 23:59:59.999999', '1970-01-01 00:00:01', '24:00:00.000001', '[]', x'')",
                        "UPDATE typed SET code = 'updated', price = 0.01 WHERE id = 2", "DELETE FROM typed WHERE id = 1");
                await(Duration.ofMinutes(2), () -> ValueEdgesTargetsITCase.readPostgres(db, "typed").keySet().equals(
                        java.util.Set.of(2, 3)) && "updated".equals(ValueEdgesTargetsITCase.readPostgres(db, "typed").get(2).get("code")),
                        () -> "rows " + ValueEdgesTargetsITCase.readPostgres(db, "typed"), job);
            }
        } finally {
            debezium.cancel().get();
        }
        Map<Integer, Map<String, Object>> rows = ValueEdgesTargetsITCase.readPostgres(db, "typed");
        Map<String, Object> three = new LinkedHashMap<>();
        three.put("id", 3);
        three.put("qty", 32767);
        three.put("price", new BigDecimal("99999999.99"));
        three.put("big", new BigDecimal("-0.0000000001"));
        three.put("share", 1.5d);
        three.put("code", "x");
        three.put("day", LocalDate.of(2024, 2, 29));
        three.put("at", LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
        three.put("paid", Instant.parse("1970-01-01T00:00:01Z"));
        three.put("took", Duration.ofHours(24).plusNanos(1000));
        three.put("doc", "[]");
        three.put("raw", new byte[0]);
        RowAssertions.assertRow(rows.get(3), three);
        assertThat(rows.get(2).get("price")).isEqualTo(new BigDecimal("0.01"));
        assertThat(rows.get(2).get("code")).isEqualTo("updated");
        // MariaDB's JSON is LONGTEXT with a check: Debezium's schema says string (not io.debezium.data.Json), so text.
        assertThat(columnTypes(db)).containsExactly("at timestamp without time zone", "big numeric(30,10)", "code text", "day date",
                "doc text", "id integer", "paid timestamp with time zone", "price numeric(10,2)", "qty smallint", "raw bytea",
                "share double precision", "took interval");
    }

    @Test
    void declaredColumnsTypeAJsonTopicAndAValueTheyCannotHoldIsADeadLetter() throws Exception {
        String db = TestDatabases.freshName("kdeclared");
        DataSource pg = TestDatabases.postgresTarget(db);
        String topic = "declared-" + db;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        produce(topic, "{\"id\":1,\"price\":\"12.50\",\"day\":\"2024-02-29\",\"paid\":\"2024-02-29T13:14:15.123456Z\",\"note\":\"a\"}",
                "{\"id\":2,\"price\":3,\"day\":null,\"paid\":\"2024-02-29T15:14:15+02:00\",\"note\":null}",
                "{\"id\":3,\"price\":\"12.345\",\"day\":\"2024-02-29\",\"paid\":null,\"note\":\"cut?\"}");
        DataSource kafka = KafkaTopicReader.datasource("k-" + db).option("format", "json")
                .option("columns." + topic, "id int not null, price decimal(10,2), day date, paid timestamp(6), note varchar(10)");
        Pipeline pipeline = Pipeline.named("declared-" + db).readFrom(kafka.table(topic)).writeTo(pg.table("t")).key("id")
                .onError(ErrorPolicy.deadLetter(pg.table("errors")));
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(pipeline, kafka.option("columns." + topic, "id int, price money"), pg)))
                .hasMessageContaining("option 'columns." + topic + "': 'price money' is not a column declaration");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, kafka, pg)),
                TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> PgRows.tableExists(db, "errors") && !PgRows.read(db, "errors", "id").isEmpty()
                    && ValueEdgesTargetsITCase.readPostgres(db, "t").size() == 2, () -> "rows " + ValueEdgesTargetsITCase.readPostgres(db, "t"), job);
        }
        Map<Integer, Map<String, Object>> rows = ValueEdgesTargetsITCase.readPostgres(db, "t");
        // numeric(10,2), compared by value (the reader strips trailing zeros)
        assertThat(rows.get(1).get("price")).isEqualTo(new BigDecimal("12.5"));
        assertThat(rows.get(2).get("price")).isEqualTo(new BigDecimal("3"));
        assertThat(rows.get(1).get("day")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(rows.get(2).get("paid")).isEqualTo(Instant.parse("2024-02-29T13:14:15Z"));
        assertThat(columnTypes(db, "t")).containsExactly("day date", "id integer", "note character varying",
                "paid timestamp with time zone", "price numeric(10,2)");
        List<Map<String, String>> errors = PgRows.read(db, "errors", "id");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("error")).isEqualTo("message at topic " + topic + " partition 0 offset 2 cannot be read"
                + " as json: field 'price' holds '12.345', which column price (decimal(10,2)) cannot hold: it has more than the"
                + " 2 fraction digits decimal(10,2) holds");
    }

    /** Flink CDC's MySQL source with Debezium's JSON converter, schemas on, into the topic: what Debezium writes. */
    private static JobClient debeziumIntoKafka(String db, String topic) throws Exception {
        MariaDbServer m = SharedServers.mariaDb();
        MySqlSource<String> source = MySqlSource.<String>builder().hostname(m.host()).port(m.port())
                .databaseList(db).tableList(db + ".typed").username(m.adminUser()).password(m.adminPassword())
                .serverTimeZone("UTC").deserializer(new JsonDebeziumDeserializationSchema(true)).build();
        KafkaSink<String> sink = KafkaSink.<String>builder().setBootstrapServers(SharedServers.kafka().bootstrapServers())
                .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(topic)
                        .setValueSerializationSchema(new SimpleStringSchema()).build())
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        env.enableCheckpointing(1000);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "debezium").sinkTo(sink);
        return env.executeAsync("debezium-into-kafka");
    }

    private static void produce(String topic, String... values) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", SharedServers.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static List<String> columnTypes(String db) throws Exception {
        return columnTypes(db, "typed");
    }

    private static List<String> columnTypes(String db, String table) throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name || ' ' || data_type || CASE WHEN data_type = 'numeric' THEN "
                     + "'(' || numeric_precision || ',' || numeric_scale || ')' ELSE '' END FROM information_schema.columns WHERE "
                     + "table_name = '" + table + "' ORDER BY 1")) {
            while (rs.next()) {
                types.add(rs.getString(1));
            }
        }
        return types;
    }
}
