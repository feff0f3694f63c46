package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MariaDB edge values of {@link EdgeTable}, from the snapshot and from the change stream, in the Elasticsearch and
 * Kafka targets: every field of every document and message compared with the JSON form the README's value table
 * promises, written out here independently of the production code (numbers compared by exact decimal value as
 * written, so a float keeps its own digits, a double all of its, and a negative zero its sign).
 */
class StreamingTargetsValueEdgesITCase {
    /** Numbers as exact decimals, as a JSON reader that does not round would see them. */
    private static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @TempDir
    Path checkpoints;

    @Test
    void elasticsearchHoldsEveryEdgeValueInItsJsonForm() throws Exception {
        String db = TestDatabases.freshName("edgeses");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        String index = db + "_edges";
        // A document's _source is the JSON tapflow sent, as it was sent.
        replicate(db, es, () -> byId(JsonTargetRows.elasticsearch(index).values()));
        // The field types the index was created with: what a double would round is a keyword.
        assertThat(ElasticsearchDocuments.fieldTypes(index)).isEqualTo(new TreeMap<>(Map.ofEntries(Map.entry("id", "integer"),
                Map.entry("i_def", "integer"), Map.entry("v_def", "keyword"), Map.entry("e_def", "keyword"),
                Map.entry("tiny", "integer"), Map.entry("small_u", "integer"), Map.entry("int_u", "long"),
                Map.entry("big", "long"), Map.entry("big_u", "keyword"), Map.entry("dec65", "keyword"),
                Map.entry("f", "float"), Map.entry("d", "double"), Map.entry("fmd", "float"), Map.entry("dmd", "double"),
                Map.entry("bit64", "keyword"), Map.entry("bit1", "boolean"),
                Map.entry("tm", "keyword"), Map.entry("dt", "date yyyy-MM-dd"),
                Map.entry("dtm", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS"),
                Map.entry("ts", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSSX||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX"),
                Map.entry("dn", "date yyyy-MM-dd"), Map.entry("vc", "keyword"), Map.entry("txt", "text"),
                Map.entry("bin", "binary"), Map.entry("js", "text"), Map.entry("geo", "binary"), Map.entry("pt", "binary"))));
    }

    @Test
    void kafkaHoldsEveryEdgeValueInItsJsonForm() throws Exception {
        String db = TestDatabases.freshName("edgeskf");
        // The MAX row is a message of about 6.3 MB (2 MB of text, 3 MB of bytes as base64): over Kafka's default limit.
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db).option("max-message-bytes", "16777216");
        String topic = "edges-kafka." + db + ".edges";
        replicate(db, kafka, () -> kafkaRows(topic));
    }

    /**
     * The PostgreSQL edge rows of {@link PostgresValueEdgesITCase} into Elasticsearch: float infinities and NaN have no
     * JSON form and a BC date no Elasticsearch date form, so those rows go to the dead letters with the reason; the
     * rest arrive, years beyond 9999 in ISO-8601's expanded form, which Elasticsearch indexes as the same instant.
     */
    @Test
    void postgresEdgeValuesInElasticsearchArriveOrAreRefusedByName() throws Exception {
        String db = TestDatabases.freshName("pgedgeses");
        DataSource errors = TestDatabases.postgresTarget(db + "_e");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        String index = db + "_t";
        Supplier<Map<Integer, Map<String, String>>> docs = () -> byId(JsonTargetRows.elasticsearch(index).values());
        Supplier<Map<String, String>> refused = () -> {
            Map<String, String> byKey = new TreeMap<>();
            if (PgRows.tableExists(db + "_e", "errors")) {
                PgRows.read(db + "_e", "errors", "id").forEach(e -> byKey.put(e.get("row_key"), e.get("error")));
            }
            return byKey;
        };
        DataSource source = TestDatabases.postgresSource(db);
        Pipeline pipeline = Pipeline.named("pgedges-es").readFrom(source.table("t")).writeTo(es)
                .onError(io.tapflow.dsl.ErrorPolicy.deadLetter(errors.table("errors")));
        try (RunningPipeline job = replicatePostgres(db, List.of(1, 2, 3, 4, 5), () -> docs.get().size() + refused.get().size(),
                pipeline, source, es, errors)) {
            assertThat(job.status().isTerminalState()).isFalse();
        } finally {
            io.tapflow.flink.connector.ConnectorFactories.source("postgres").release(source, "pgedges-es");
        }

        Map<Integer, Map<String, String>> arrived = docs.get();
        assertThat(arrived.keySet()).containsExactly(3, 5, 13, 15);
        for (int id : arrived.keySet()) {
            assertJsonRow(id, arrived.get(id), postgresEdgeRow(id, id % 10));
        }
        // Indexed as the same day and instant (to the millisecond), not only kept as text in _source.
        JsonNode indexed = exact(ElasticsearchDocuments.requestText("POST", "/" + index + "/_search", "{\"query\":{\"ids\":"
                + "{\"values\":[\"3\",\"5\"]}},\"docvalue_fields\":[{\"field\":\"dt\",\"format\":\"epoch_millis\"},"
                + "{\"field\":\"tstz\",\"format\":\"epoch_millis\"}],\"sort\":[\"id\"]}")).path("hits").path("hits");
        assertThat(indexed.get(0).path("fields").path("dt").get(0).asText())
                .isEqualTo(Long.toString(LocalDate.of(5874897, 12, 31).toEpochDay() * 86_400_000L));
        assertThat(indexed.get(1).path("fields").path("tstz").get(0).asText())
                .isEqualTo(Long.toString(Instant.parse("+294276-12-31T23:59:59.999999Z").toEpochMilli()));

        assertThat(ElasticsearchDocuments.fieldTypes(index)).isEqualTo(new TreeMap<>(Map.ofEntries(Map.entry("id", "integer"),
                Map.entry("i_def", "integer"), Map.entry("v_def", "keyword"), Map.entry("n", "keyword"),
                Map.entry("n5", "scaled_float 100000.0"), Map.entry("r", "float"), Map.entry("d", "double"),
                Map.entry("dt", "date yyyy-MM-dd"), Map.entry("t", "keyword"), Map.entry("t0", "keyword"),
                Map.entry("ts", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS"),
                Map.entry("tstz", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSSX||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX"),
                Map.entry("b", "binary"), Map.entry("vc", "keyword"), Map.entry("tx", "text"))));

        Map<String, String> reasons = refused.get();
        assertThat(reasons.keySet()).containsExactlyInAnyOrder("{id=1}", "{id=2}", "{id=4}", "{id=11}", "{id=12}", "{id=14}");
        for (int id : new int[] {1, 11}) {
            assertThat(reasons.get("{id=" + id + "}")).isEqualTo("target refused row {id=" + id + "} of public.t (to t): field"
                    + " 'r': value Infinity has no JSON form (JSON numbers are finite)");
        }
        for (int id : new int[] {2, 12}) {
            assertThat(reasons.get("{id=" + id + "}")).endsWith("field 'r': value NaN has no JSON form (JSON numbers are finite)");
        }
        for (int id : new int[] {4, 14}) {
            assertThat(reasons.get("{id=" + id + "}")).startsWith("target refused row {id=" + id + "} of public.t (to t): index '"
                    + index + "' answered HTTP 400: mapper_parsing_exception: failed to parse field [dt] of type [date]");
        }
    }

    /**
     * The PostgreSQL edge rows into Kafka: BC dates and years beyond 9999 in ISO-8601's expanded form, every value as
     * the JSON table says; a float infinity fails the job naming row and field (the Kafka target has no row errors).
     */
    @Test
    void postgresEdgeValuesInKafkaArriveAndAnInfinityFailsTheJobByName() throws Exception {
        String db = TestDatabases.freshName("pgedgeskf");
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db);
        String topic = "pgedges-kafka.public.t"; // {database} of a PostgreSQL table is its schema
        Supplier<Map<Integer, Map<String, String>>> rows = () -> kafkaRows(topic);
        DataSource source = TestDatabases.postgresSource(db);
        Pipeline pipeline = Pipeline.named("pgedges-kafka").readFrom(source.table("t")).writeTo(kafka);
        try (RunningPipeline job = replicatePostgres(db, List.of(3, 4, 5), () -> rows.get().size(), pipeline, source, kafka)) {
            Map<Integer, Map<String, String>> arrived = rows.get();
            assertThat(arrived.keySet()).containsExactly(3, 4, 5, 13, 14, 15);
            arrived.forEach((id, row) -> assertJsonRow(id, row, postgresEdgeRow(id, id % 10)));
            TestDatabases.postgres(db, "INSERT INTO t VALUES (21, " + PostgresValueEdgesITCase.ROWS[0] + ")");
            assertThatThrownBy(job::awaitTermination).isInstanceOf(TapflowException.class)
                    .hasMessageContaining("row {id=21} of public.t cannot be written to Kafka: field 'r': value Infinity has"
                            + " no JSON form (JSON numbers are finite)");
        } finally {
            io.tapflow.flink.connector.ConnectorFactories.source("postgres").release(source, "pgedges-kafka");
        }
    }

    /**
     * Kinds 1-3 are the rows of PostgresValueEdgesITCase; kind 4 is its second row with negative zero floats (a BC
     * date and a timestamptz in year 294276 left), kind 5 the same with an AD date.
     */
    private static String postgresEdgeValues(int kind) {
        String[] rows = PostgresValueEdgesITCase.ROWS;
        return switch (kind) {
            case 4 -> rows[1].replace("'NaN', 'NaN'", "'-0', '-0'");
            case 5 -> rows[1].replace("'NaN', 'NaN'", "'-0', '-0'").replace("'4713-01-01 BC'", "'2024-02-29'");
            default -> rows[kind - 1];
        };
    }

    private static Map<String, Object> postgresEdgeRow(int id, int kind) {
        Map<String, Object> row = PostgresValueEdgesITCase.expected(id, kind <= 3 ? kind : 2);
        if (kind >= 4) {
            row.put("r", -0.0f);
            row.put("d", -0.0d);
        }
        if (kind == 5) {
            row.put("dt", LocalDate.of(2024, 2, 29));
        }
        return row;
    }

    /**
     * PostgreSQL table t with the rows of {@code kinds} (id = kind), the pipeline started, then the same rows again as
     * changes (id = 10 + kind); returns the running job once {@code arrived} counts all of them.
     */
    private RunningPipeline replicatePostgres(String db, List<Integer> kinds, Supplier<Integer> arrived, Pipeline pipeline,
                                              DataSource... datasources) throws Exception {
        TestDatabases.postgres(db, "CREATE TABLE t (id int PRIMARY KEY, " + PostgresValueEdgesITCase.COLUMNS + ")");
        for (int kind : kinds) {
            TestDatabases.postgres(db, "INSERT INTO t VALUES (" + kind + ", " + postgresEdgeValues(kind) + ")");
        }
        RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, datasources)),
                TestDatabases.runOptions(checkpoints));
        try {
            await(Duration.ofMinutes(2), () -> arrived.get() == kinds.size(), () -> "arrived: " + arrived.get(), job);
            for (int kind : kinds) {
                TestDatabases.postgres(db, "INSERT INTO t VALUES (" + (10 + kind) + ", " + postgresEdgeValues(kind) + ")");
            }
            await(Duration.ofMinutes(2), () -> arrived.get() == 2 * kinds.size(), () -> "arrived: " + arrived.get(), job);
            return job;
        } catch (Throwable e) {
            job.close();
            throw e;
        }
    }

    private void replicate(String db, DataSource target, Supplier<Map<Integer, Map<String, String>>> read) throws Exception {
        EdgeTable.replicate(db, target, checkpoints, () -> read.get().size());
        Map<Integer, Map<String, String>> actual = read.get();
        for (int kind : EdgeTable.KINDS) {
            for (int id : new int[] {kind, EdgeTable.STREAM_BASE + kind}) {
                assertJsonRow(id, actual.get(id), EdgeTable.expected(id, kind));
            }
        }
    }

    /** The latest row of each key in a debezium-json topic, by id, each field in JsonTargetRows' comparable form. */
    private static Map<Integer, Map<String, String>> kafkaRows(String topic) {
        return byId(JsonTargetRows.kafka(topic).values());
    }

    private static Map<Integer, Map<String, String>> byId(java.util.Collection<Map<String, String>> rows) {
        Map<Integer, Map<String, String>> byId = new TreeMap<>();
        rows.forEach(row -> byId.put(Integer.valueOf(row.get("id").substring("number ".length())), row));
        return byId;
    }

    private static void assertJsonRow(int id, Map<String, String> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).as("fields of row " + id).containsExactlyElementsOf(expected.keySet());
        expected.forEach((field, value) -> {
            String want = jsonForm(value);
            if (!want.equals(actual.get(field))) {
                fail("row " + id + " field " + field + ": got " + shorten(actual.get(field)) + ", expected " + shorten(want));
            }
        });
    }

    /** The README's JSON value table, for the values EdgeTable expects, in JsonTargetRows' comparable form. */
    private static String jsonForm(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Integer || v instanceof Long) {
            return "number " + v;
        }
        if (v instanceof Float || v instanceof Double) {
            // Float.toString: the float's own digits, and the sign of -0.0.
            return "number " + JsonTargetRows.number(v.toString());
        }
        if (v instanceof Boolean b) {
            return "text " + b;
        }
        if (v instanceof BigDecimal d) {
            return "text " + d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return "text " + Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof LocalDate d) {
            return "text " + year(d.getYear()) + String.format("-%02d-%02d", d.getMonthValue(), d.getDayOfMonth());
        }
        if (v instanceof java.time.LocalTime t) {
            return "text " + String.format("%02d:%02d:%02d.%06d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
        }
        if (v instanceof LocalDateTime t) {
            return "text " + dateTime(t);
        }
        if (v instanceof Instant i) {
            return "text " + dateTime(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "Z";
        }
        if (v instanceof Duration d) {
            long micros = Math.abs(d.toNanos() / 1000);
            long seconds = micros / 1_000_000;
            return "text " + (d.isNegative() ? "-" : "") + String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                    seconds % 60) + (micros % 1_000_000 == 0 ? "" : String.format(".%06d", micros % 1_000_000));
        }
        return "text " + v;
    }

    private static String dateTime(LocalDateTime t) {
        return year(t.getYear()) + String.format("-%02d-%02dT%02d:%02d:%02d.%06d", t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    }

    /** ISO-8601 years: four digits, with a sign beyond 9999 and before year 1 (year 0 is 1 BC, -4712 is 4713 BC). */
    private static String year(int year) {
        return year > 9999 ? "+" + year : year < 0 ? String.format("-%04d", -year) : String.format("%04d", year);
    }

    private static String shorten(String text) {
        return text == null || text.length() <= 120 ? text : text.substring(0, 120) + "... (" + text.length() + " chars)";
    }

    /** JSON read with numbers as exact decimals. */
    static JsonNode exact(String json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
