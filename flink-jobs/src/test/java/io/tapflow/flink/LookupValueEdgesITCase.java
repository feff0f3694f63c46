package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge values of {@link EdgeTable} carried inside embedded documents: each row of {@code holder} embeds its edge
 * row as an object ({@code obj}) and as the one element of an array ({@code arr}), from the snapshot and from the
 * change stream (there the parent arrives before the row it embeds), into PostgreSQL jsonb, MySQL (MariaDB) json,
 * MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod), Elasticsearch and Kafka. Every embedded value is compared with the
 * same value in a flat copy of {@code edges} into the same target, run beside it, and (for the JSON columns) with the
 * README's JSON form of the source value, text for text: NULL kept as null, decimals as exact text, dates and times
 * as ISO text, bytes as base64, zero dates as null (zero-date=null), MariaDB JSON as its text.
 */
class LookupValueEdgesITCase {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final String HOLDER = "CREATE TABLE holder (id INT PRIMARY KEY, edge_id INT)";

    @TempDir
    Path checkpoints;

    @Test
    void postgresJsonbEmbedsEveryEdgeValueInItsDocumentedForm() throws Exception {
        String db = TestDatabases.freshName("lkedge_pg");
        DataSource pg = TestDatabases.postgresTarget(db);
        run(db, pg, () -> ValueEdgesTargetsITCase.readPostgres(db, "edges").size(), () -> postgresDocuments(db).size());
        Map<Integer, Map<String, Object>> flat = ValueEdgesTargetsITCase.readPostgres(db, "edges");
        Map<Integer, JsonNode> documents = postgresDocuments(db);
        for (int id : ids()) {
            Map<String, Object> expected = EdgeTable.expected(id, kindOf(id));
            // The flat copy holds the value as the PostgreSQL type table says (checked in full by ValueEdgesTargetsITCase) ...
            expected.forEach((column, value) -> assertThat(io.tapflow.flink.event.RowValues.valuesEqual(
                    flat.get(id).get(column), ValueEdgesTargetsITCase.inTarget("postgres", value))).as("flat " + id + "." + column).isTrue());
            // ... and the embedded copy the same value in its JSON form.
            assertEmbeddedJson(id, documents.get(id), expected, flat.get(id));
        }
    }

    @Test
    void mySqlJsonEmbedsEveryEdgeValueInItsDocumentedForm() throws Exception {
        String db = TestDatabases.freshName("lkedge_my");
        DataSource maria = TestDatabases.mysqlTarget(db + "_t");
        run(db, maria, () -> mySqlCount(db + "_t", "edges"), () -> mySqlDocuments(db + "_t").size());
        Map<Integer, JsonNode> documents = mySqlDocuments(db + "_t");
        for (int id : ids()) {
            assertEmbeddedJson(id, documents.get(id), EdgeTable.expected(id, kindOf(id)), null);
        }
    }

    @Test
    void mongoEmbedsEveryEdgeValueAsItsFlatCopyHoldsIt() throws Exception {
        String db = TestDatabases.freshName("lkedge_mg");
        DataSource mongo = TestDatabases.mongoTarget(db);
        run(db, mongo, () -> mongoDocuments(db, "edges").size(), () -> mongoDocuments(db, "holder_view").size());
        Map<Integer, Document> flat = mongoDocuments(db, "edges");
        Map<Integer, Document> holders = mongoDocuments(db, "holder_view");
        Map<Integer, Map<String, Object>> flatValues = ValueEdgesTargetsITCase.readMongo(db, "edges");
        for (int id : ids()) {
            Map<String, Object> expected = new LinkedHashMap<>();
            EdgeTable.expected(id, kindOf(id)).forEach((column, value) -> expected.put(column, ValueEdgesTargetsITCase.inTarget("mongodb", value)));
            RowAssertions.assertRow(flatValues.get(id), expected);
            Document flatDoc = flat.get(id);
            flatDoc.remove("_id");
            Document obj = holders.get(id).get("obj", Document.class);
            List<Document> arr = holders.get(id).getList("arr", Document.class);
            assertThat(arr).as("holder " + id + ".arr").hasSize(1);
            for (Document embedded : List.of(obj, arr.get(0))) {
                assertThat(embedded.keySet()).as("holder " + id).containsExactlyElementsOf(flatDoc.keySet());
                // BSON values compare exactly: Decimal128 bits, dates, binaries by content, doubles.
                flatDoc.forEach((column, value) -> assertThat(embedded.get(column)).as("holder " + id + " " + column).isEqualTo(value));
            }
        }
    }

    @Test
    void elasticsearchEmbedsEveryEdgeValueInItsDocumentedForm() throws Exception {
        String db = TestDatabases.freshName("lkedge_es");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        run(db, es, () -> elasticsearchDocuments(db + "_edges").size(), () -> elasticsearchDocuments(db + "_holder").size());
        assertSameJsonAsTheFlatCopy(elasticsearchDocuments(db + "_holder"), elasticsearchDocuments(db + "_edges"));
    }

    @Test
    void kafkaEmbedsEveryEdgeValueInItsDocumentedForm() throws Exception {
        String db = TestDatabases.freshName("lkedge_kf");
        // A holder message carries the MAX row twice (object and array): about 13 MB.
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db).option("max-message-bytes", "16777216");
        run(db, kafka, () -> kafkaMessages(kafkaTopic("flat", db, "edges")).size(),
                () -> kafkaMessages(kafkaTopic("lookup", db, "holder")).size());
        assertSameJsonAsTheFlatCopy(kafkaMessages(kafkaTopic("lookup", db, "holder")), kafkaMessages(kafkaTopic("flat", db, "edges")));
    }

    /** Each embedded value in its documented JSON form, and the very JSON value the flat copy's document holds. */
    private static void assertSameJsonAsTheFlatCopy(Map<Integer, JsonNode> documents, Map<Integer, JsonNode> flat) {
        for (int id : ids()) {
            assertEmbeddedJson(id, documents.get(id), EdgeTable.expected(id, kindOf(id)), null);
            for (JsonNode embedded : List.of(documents.get(id).path("obj"), documents.get(id).path("arr").get(0))) {
                flat.get(id).fields().forEachRemaining(field -> assertThat(embedded.get(field.getKey()))
                        .as("holder " + id + " " + field.getKey()).isEqualTo(field.getValue()));
            }
        }
    }

    private static Map<Integer, JsonNode> elasticsearchDocuments(String index) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        try {
            ElasticsearchDocuments.request("POST", "/" + index + "/_refresh", null);
            JSON.readTree(ElasticsearchDocuments.requestText("GET", "/" + index + "/_search?size=100", null)).path("hits").path("hits")
                    .forEach(h -> out.put(h.path("_source").path("id").intValue(), h.path("_source")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String kafkaTopic(String pipeline, String db, String table) {
        return pipeline + "-edges-kafka." + db + "." + table;
    }

    /** The after image of the last message of each id. */
    private static Map<Integer, JsonNode> kafkaMessages(String topic) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        for (KafkaTopicReader.Message m : KafkaTopicReader.read(topic, false)) {
            try {
                JsonNode after = JSON.readTree(m.value()).path("after");
                out.put(after.path("id").intValue(), after);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /**
     * NaN and infinities have no JSON form (README, JSON values): a PostgreSQL real/double NaN or -Infinity inside an
     * embedded document makes its row an error of that row. Under the default policy the job stops naming the table,
     * row and column; under {@code skip} the other rows are written.
     */
    @Test
    void nanInsideAnEmbeddedDocumentIsAnErrorOfItsRow() throws Exception {
        String db = TestDatabases.freshName("lknan");
        DataSource pgSource = TestDatabases.postgresSource(db);
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        TestDatabases.postgres(db, "CREATE TABLE parent (id INT PRIMARY KEY, child_id INT)",
                "CREATE TABLE child (id INT PRIMARY KEY, r REAL, d DOUBLE PRECISION)",
                "INSERT INTO child VALUES (1, 'NaN', 1.5), (2, 2.5, '-Infinity'), (3, 0.5, 0.25)",
                "INSERT INTO parent VALUES (1, 1), (2, 2), (3, 3)");
        Pipeline failing = Pipeline.named("lookup-nan").readFrom(pgSource.table("parent"))
                .lookup(pgSource.table("child"), on("child_id", "id"), as("obj")).writeTo(pg.table("parent_view"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(failing, pgSource, pg)),
                TestDatabases.runOptions(checkpoints.resolve("fail")))) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(job::awaitTermination)).hasMessageMatching(
                    "(?s).*row \\{id=[12]\\} of \\S*public\\.parent \\(to parent_view\\) column 'obj': embedded field '[rd]': "
                    + "value (NaN|-Infinity) has no JSON form \\(JSON numbers are finite\\).*");
        }
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(
                failing.onError(io.tapflow.dsl.ErrorPolicy.skip(10)), pgSource, pg)), TestDatabases.runOptions(checkpoints.resolve("skip")))) {
            String third = "{\"d\": 0.25, \"r\": 0.5, \"id\": 3}";
            TestDatabases.await(Duration.ofMinutes(2), () -> third.equals(postgresObjects(db + "_t").get(3)),
                    () -> "rows " + postgresObjects(db + "_t"), job);
            // A parent may have been written before its looked-up row joined it (obj null); the version embedding the
            // NaN is the skipped one, so parents 1 and 2 never show a value.
            Map<Integer, String> written = postgresObjects(db + "_t");
            assertThat(written).containsEntry(3, third);
            assertThat(written.keySet()).isSubsetOf(1, 2, 3);
            assertThat(written.entrySet()).allSatisfy(e -> assertThat(e.getKey() == 3 || "null".equals(e.getValue()))
                    .as("row %s", e).isTrue());
        }
    }

    private static Map<Integer, String> postgresObjects(String db) {
        Map<Integer, String> out = new TreeMap<>();
        jsonDocuments(() -> SharedServers.postgres().connect(db), "SELECT id, obj::text, '[]' FROM public.parent_view", "42P01")
                .forEach((id, doc) -> out.put(id, doc.path("obj").toString().replace(",", ", ").replace(":", ": ")));
        return out;
    }

    /**
     * Snapshot: edges (one row of each kind) and holder rows embedding them; then on the change stream the holders
     * at {@link EdgeTable#STREAM_BASE} + kind first, the edge rows they embed after them. Runs the lookup pipeline and
     * a flat copy of edges side by side until both targets hold all rows.
     */
    private void run(String db, DataSource target, IntSupplier flatRows, IntSupplier documents) throws Exception {
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, EdgeTable.DDL, HOLDER);
        TestDatabases.mysql(db, EdgeTable.inserts(0));
        TestDatabases.mysql(db, holders(0));
        Pipeline lookup = into(Pipeline.named("lookup-edges-" + target.type()).readFrom(source.table("holder"))
                .lookup(source.table("edges"), on("edge_id", "id"), as("obj"))
                .lookupMany(source.table("edges"), on("edge_id", "id"), as("arr")), target, "holder_view");
        Pipeline flat = into(Pipeline.named("flat-edges-" + target.type()).readFrom(source.table("edges")), target, "edges");
        try (RunningPipeline lookupJob = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(lookup, source, target)),
                TestDatabases.runOptions(checkpoints.resolve("lookup")));
             RunningPipeline flatJob = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(flat, source, target)),
                     TestDatabases.runOptions(checkpoints.resolve("flat")))) {
            awaitRows(EdgeTable.KINDS.length, flatRows, documents, lookupJob, flatJob);
            TestDatabases.mysql(db, holders(EdgeTable.STREAM_BASE));
            TestDatabases.mysql(db, EdgeTable.inserts(EdgeTable.STREAM_BASE));
            awaitRows(2 * EdgeTable.KINDS.length, flatRows, documents, lookupJob, flatJob);
            // A holder written before its edge row first holds obj null and arr []: wait for the embedded rows.
            TestDatabases.await(Duration.ofMinutes(2), () -> embeddedEverywhere(target, db), () -> "edge rows not embedded yet",
                    lookupJob, flatJob);
        }
    }

    private static void awaitRows(int rows, IntSupplier flatRows, IntSupplier documents, RunningPipeline... jobs) throws Exception {
        TestDatabases.await(Duration.ofMinutes(2), () -> flatRows.getAsInt() == rows && documents.getAsInt() == rows,
                () -> "flat rows " + flatRows.getAsInt() + ", documents " + documents.getAsInt() + ", expected " + rows, jobs);
    }

    /** Into a table of that name; Elasticsearch indexes and Kafka topics are named after the source table. */
    private static Pipeline into(Pipeline pipeline, DataSource target, String table) {
        return (streaming(target) ? pipeline.writeTo(target) : pipeline.writeTo(target.table(table)))
                .checkpointInterval(Duration.ofSeconds(1));
    }

    private static boolean streaming(DataSource target) {
        return target.type().equals("elasticsearch") || target.type().equals("kafka");
    }

    private static boolean embeddedEverywhere(DataSource target, String db) {
        if (target.type().equals("mongodb")) {
            return mongoDocuments(db, "holder_view").values().stream().allMatch(d -> d.get("obj") != null
                    && d.getList("arr", Document.class).size() == 1);
        }
        Map<Integer, JsonNode> docs = switch (target.type()) {
            case "postgres" -> postgresDocuments(db);
            case "elasticsearch" -> elasticsearchDocuments(db + "_holder");
            case "kafka" -> kafkaMessages(kafkaTopic("lookup", db, "holder"));
            default -> mySqlDocuments(db + "_t");
        };
        return docs.values().stream().allMatch(d -> d.path("obj").isObject() && d.path("arr").size() == 1);
    }

    private static String[] holders(int base) {
        String[] out = new String[EdgeTable.KINDS.length];
        for (int i = 0; i < out.length; i++) {
            int id = base + EdgeTable.KINDS[i];
            out[i] = "INSERT INTO holder VALUES (" + id + ", " + id + ")";
        }
        return out;
    }

    private static List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        for (int kind : EdgeTable.KINDS) {
            ids.add(kind);
            ids.add(EdgeTable.STREAM_BASE + kind);
        }
        return ids;
    }

    private static int kindOf(int id) {
        return id % EdgeTable.STREAM_BASE;
    }

    /**
     * The holder's obj and the one element of its arr each hold exactly the edge row's fields, each value in the
     * README's JSON form of the source value (text for text), and, when given, equal to the flat copy's value.
     */
    private static void assertEmbeddedJson(int id, JsonNode document, Map<String, Object> expected, Map<String, Object> flat) {
        assertThat(document).as("holder " + id).isNotNull();
        assertThat(document.path("arr").size()).as("holder " + id + ".arr").isEqualTo(1);
        for (JsonNode embedded : List.of(document.path("obj"), document.path("arr").get(0))) {
            List<String> fields = new ArrayList<>();
            embedded.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as("holder " + id).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((column, value) -> {
                String where = "holder " + id + " " + column + ": " + abbreviated(embedded.get(column));
                assertThat(inJsonForm(embedded.get(column), value, true)).as(where + ", expected " + abbreviated(value)).isTrue();
                if (flat != null) {
                    assertThat(inJsonForm(embedded.get(column), flat.get(column), false))
                            .as(where + ", flat copy " + abbreviated(flat.get(column))).isTrue();
                }
            });
        }
    }

    /**
     * Whether a JSON value is the README's JSON form of a row value ("JSON values"): numbers for integers and floats
     * (the float's own digits), exact decimal text for decimals (compared by value when {@code exactText} is false: a
     * flat numeric column read back has no scale), ISO text for dates and times, MySQL's TIME text, base64 for bytes.
     */
    private static boolean inJsonForm(JsonNode node, Object value, boolean exactText) {
        if (value == null) {
            return node != null && node.isNull();
        }
        if (node == null || node.isNull()) {
            return false;
        }
        if (value instanceof Boolean b) {
            return node.isBoolean() && node.booleanValue() == b;
        }
        if (value instanceof Integer || value instanceof Long) {
            return node.isIntegralNumber() && node.bigIntegerValue().equals(BigInteger.valueOf(((Number) value).longValue()));
        }
        if (value instanceof BigDecimal d) {
            return node.isTextual() && (exactText ? node.textValue().equals(d.toPlainString())
                    : new BigDecimal(node.textValue()).compareTo(d) == 0);
        }
        if (value instanceof Float || value instanceof Double) {
            return node.isNumber() && node.decimalValue().compareTo(new BigDecimal(value.toString())) == 0;
        }
        return node.isTextual() && node.textValue().equals(jsonText(value));
    }

    /** The README's JSON text of a value that JSON holds as a string. */
    private static String jsonText(Object value) {
        if (value instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (value instanceof LocalDateTime t) {
            return MICROS.format(t);
        }
        if (value instanceof Instant i) {
            return MICROS.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC)) + "Z";
        }
        if (value instanceof Duration d) {
            return DurationText.format(d);
        }
        if (value instanceof String || value instanceof LocalDate) {
            return value.toString();
        }
        throw new IllegalArgumentException("no JSON form known for " + value.getClass());
    }

    private static String abbreviated(Object value) {
        String text = value instanceof byte[] b ? "bytes[" + b.length + "]" : String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "... (" + text.length() + " chars)" : text;
    }

    private static Map<Integer, JsonNode> postgresDocuments(String db) {
        return jsonDocuments(() -> SharedServers.postgres().connect(db), "SELECT id, obj::text, arr::text FROM public.holder_view", "42P01");
    }

    private static Map<Integer, JsonNode> mySqlDocuments(String db) {
        return jsonDocuments(() -> SharedServers.mariaDb().connectAsAdmin(db), "SELECT id, obj, arr FROM holder_view", "42S02");
    }

    private interface Connector {
        Connection connect() throws Exception;
    }

    /** Each holder row as {"obj": ..., "arr": ...}, by id; empty while the table does not exist. */
    private static Map<Integer, JsonNode> jsonDocuments(Connector connector, String query, String missingTableState) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        try (Connection c = connector.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                var doc = JSON.createObjectNode();
                doc.set("obj", rs.getString(2) == null ? JSON.nullNode() : JSON.readTree(rs.getString(2)));
                doc.set("arr", rs.getString(3) == null ? JSON.nullNode() : JSON.readTree(rs.getString(3)));
                out.put(rs.getInt(1), doc);
            }
        } catch (java.sql.SQLException e) {
            if (!missingTableState.equals(e.getSQLState())) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static int mySqlCount(String db, String table) {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            if ("42S02".equals(e.getSQLState())) {
                return 0;
            }
            throw new IllegalStateException(e);
        }
    }

    private static Map<Integer, Document> mongoDocuments(String db, String collection) {
        Map<Integer, Document> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection(collection).find()) {
                out.put(d.getInteger("id"), d);
            }
        }
        return out;
    }
}
