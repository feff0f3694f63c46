package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.JsonValues;
import io.tapflow.flink.sink.mongo.MongoValues;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed arrays of {@link PostgresArrayITCase} (bounds, NULL elements, empty arrays and NULL arrays), from the
 * snapshot and from the change stream, in each target: PostgreSQL holds the same array (compared as the server's text
 * with the source's), MySQL a JSON array of the elements as JSON values (a MySQL target has no NaN or infinity, so its
 * float arrays hold finite values), MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod) an array
 * of the elements' BSON values; Kafka and Elasticsearch JSON arrays of the elements' JSON forms (Elasticsearch maps each
 * array column as its element type), a NaN element refused naming table, row and field.
 */
class PostgresArrayTargetsITCase {
    private static final String[] COLUMNS = {"a_int2", "a_int4", "a_int8", "a_num", "a_numf", "a_real", "a_double",
        "a_bool", "a_date", "a_ts", "a_tstz", "a_uuid", "a_jsonb"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsTheSameArrays() throws Exception {
        String db = TestDatabases.freshName("pgarrpg");
        replicate(db, PostgresArrayITCase.TYPED_VALUES, TestDatabases.postgresTarget(db + "_t"), () -> arrayTexts(db + "_t"));
        assertThat(arrayTexts(db + "_t")).isEqualTo(arrayTexts(db));
    }

    @Test
    void mysqlTargetHoldsJsonArrays() throws Exception {
        String db = TestDatabases.freshName("pgarrmy");
        String finite = PostgresArrayITCase.TYPED_VALUES.replace("'{3.4028235e38,-1.5,NaN,Infinity}'", "'{3.4028235e38,-1.5}'")
                .replace("'{1.7976931348623157e308,4.9e-324,-Infinity}'", "'{1.7976931348623157e308,4.9e-324}'");
        replicate(db, finite, TestDatabases.mysqlTarget(db + "_t"), () -> mysqlJson(db + "_t"));
        Map<Integer, Map<String, JsonNode>> actual = mysqlJson(db + "_t");
        for (int id : new int[] {1, 3}) {
            Map<String, Object> expected = PostgresArrayITCase.typedExpected(id);
            expected.put("a_real", List.of(Float.MAX_VALUE, -1.5f));
            expected.put("a_double", List.of(Double.MAX_VALUE, Double.MIN_VALUE));
            for (String c : COLUMNS) {
                assertThat(actual.get(id).get(c)).as("row %d column %s", id, c).isEqualTo(JSON.readTree(JsonValues.value(expected.get(c)).toString()));
            }
        }
        assertNullAndEmpty(actual.get(2).get("a_int4"), actual.get(5).get("a_int4"), JSON.readTree("[]"));
    }

    @Test
    void mongoTargetHoldsArrays() throws Exception {
        String db = TestDatabases.freshName("pgarrmg");
        replicate(db, PostgresArrayITCase.TYPED_VALUES, TestDatabases.mongoTarget(db + "_t"), () -> mongo(db + "_t"));
        Map<Integer, Document> actual = mongo(db + "_t");
        for (int id : new int[] {1, 3}) {
            Map<String, Object> expected = PostgresArrayITCase.typedExpected(id);
            for (String c : COLUMNS) {
                assertThat(actual.get(id).get(c)).as("row %d column %s", id, c).isEqualTo(MongoValues.toBson(expected.get(c)));
            }
        }
        assertNullAndEmpty(actual.get(2).get("a_int4"), actual.get(5).get("a_int4"), List.of());
    }

    /**
     * Kafka: each message's row compared with the JSON arrays the README's table promises, written out here. A NaN
     * element has no JSON form: the job fails naming row and field, as for a NaN in a column.
     */
    @Test
    void kafkaHoldsJsonArraysAndANanElementFailsTheJobByName() throws Exception {
        String db = TestDatabases.freshName("pgarrkf");
        DataSource kafka = KafkaTopicReader.datasource("kafka-" + db).option("topic", db + ".{table}");
        String finite = PostgresArrayITCase.TYPED_VALUES.replace("'{3.4028235e38,-1.5,NaN,Infinity}'", "'{3.4028235e38,-1.5}'")
                .replace("'{1.7976931348623157e308,4.9e-324,-Infinity}'", "'{1.7976931348623157e308,4.9e-324}'");
        Supplier<Map<String, Map<String, String>>> rows = () -> JsonTargetRows.kafka(db + ".arrays");
        replicate(db, finite, List.of(), kafka, () -> rows.get().size(), 6, job -> {
            assertThat(rows.get().values()).containsExactlyInAnyOrderElementsOf(List.of(jsonRow(1, true), jsonRow(2, null),
                    jsonRow(3, true), jsonRow(4, null), emptyRow(5), emptyRow(6)));
            TestDatabases.postgres(db, "INSERT INTO arrays VALUES (7, " + PostgresArrayITCase.TYPED_VALUES + ")");
            assertThatThrownBy(job::awaitTermination).isInstanceOf(TapflowException.class).hasMessageContaining(
                    "row {id=7} of public.arrays cannot be written to Kafka: field 'a_real': value NaN has no JSON form");
        });
    }

    /**
     * Elasticsearch: each array column mapped as its element type (checked), each document's arrays as the README's
     * JSON forms. Rows 7 and 17 (snapshot, stream) hold a NaN element, which has no JSON form, rows 8 and 18 a BC date,
     * which Elasticsearch refuses to index as a date: each is an error of its row (here: the dead letters) naming
     * table, row and field, the same on both paths.
     */
    @Test
    void elasticsearchMapsArraysAsTheirElementsAndRefusesNanAndBcElementsByRow() throws Exception {
        String db = TestDatabases.freshName("pgarres");
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        DataSource errors = TestDatabases.postgresTarget(db + "_e");
        String finiteAd = PostgresArrayITCase.TYPED_VALUES.replace("'{3.4028235e38,-1.5,NaN,Infinity}'", "'{3.4028235e38,-1.5}'")
                .replace("'{1.7976931348623157e308,4.9e-324,-Infinity}'", "'{1.7976931348623157e308,4.9e-324}'");
        String bc = finiteAd;
        finiteAd = finiteAd.replace("4713-01-01 BC", "0001-01-01");
        Supplier<Map<String, Map<String, String>>> docs = () -> JsonTargetRows.elasticsearch(db + "_arrays");
        Supplier<Map<String, String>> refused = () -> {
            Map<String, String> byKey = new java.util.TreeMap<>();
            if (PgRows.tableExists(db + "_e", "errors")) {
                PgRows.read(db + "_e", "errors", "id").forEach(e -> byKey.put(e.get("row_key"), e.get("error")));
            }
            return byKey;
        };
        replicate(db, finiteAd, List.of(PostgresArrayITCase.TYPED_VALUES, bc), es, () -> docs.get().size() + refused.get().size(),
                10, job -> assertThat(job.status().isTerminalState()).isFalse(), errors);
        assertThat(docs.get().values()).containsExactlyInAnyOrderElementsOf(List.of(jsonRow(1, false), jsonRow(2, null),
                jsonRow(3, false), jsonRow(4, null), emptyRow(5), emptyRow(6)));
        Map<String, String> reasons = refused.get();
        assertThat(reasons.keySet()).containsExactlyInAnyOrder("{id=7}", "{id=8}", "{id=17}", "{id=18}");
        for (int id : new int[] {7, 17}) {
            assertThat(reasons.get("{id=" + id + "}")).isEqualTo("target refused row {id=" + id + "} of public.arrays (to arrays):"
                    + " field 'a_real': value NaN has no JSON form (JSON numbers are finite)");
        }
        for (int id : new int[] {8, 18}) {
            assertThat(reasons.get("{id=" + id + "}")).startsWith("target refused row {id=" + id + "} of public.arrays (to arrays):"
                    + " index '" + db + "_arrays' answered HTTP 400: mapper_parsing_exception: failed to parse field [a_date] of type [date]");
        }
        assertThat(ElasticsearchDocuments.fieldTypes(db + "_arrays")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry("id", "integer"),
                Map.entry("a_int2", "integer"), Map.entry("a_int4", "integer"), Map.entry("a_int8", "long"),
                Map.entry("a_num", "scaled_float 10000.0"), Map.entry("a_numf", "keyword"), Map.entry("a_real", "float"),
                Map.entry("a_double", "double"), Map.entry("a_bool", "boolean"), Map.entry("a_date", "date yyyy-MM-dd"),
                Map.entry("a_ts", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS"),
                Map.entry("a_tstz", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSSX||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX"),
                Map.entry("a_uuid", "keyword"), Map.entry("a_jsonb", "text")));
    }

    /**
     * Row {@code id} of the finite typed arrays (floats without NaN and infinities) as the README's JSON table writes
     * it, or the row of NULL arrays when {@code bc} is null; {@code bc} false has 0001-01-01 for the BC date.
     */
    private static Map<String, String> jsonRow(int id, Boolean bc) {
        if (bc == null) {
            return JsonTargetRows.fields("{\"id\":" + id + ",\"a_int2\":null,\"a_int4\":null,\"a_int8\":null,\"a_num\":null,"
                    + "\"a_numf\":null,\"a_real\":null,\"a_double\":null,\"a_bool\":null,\"a_date\":null,\"a_ts\":null,"
                    + "\"a_tstz\":null,\"a_uuid\":null,\"a_jsonb\":null}");
        }
        return JsonTargetRows.fields("{\"id\":" + id + ",\"a_int2\":[-32768,32767,null],\"a_int4\":[-2147483648,2147483647],"
                + "\"a_int8\":[-9223372036854775808,9223372036854775807,null],\"a_num\":[\"-99999999.9999\",\"0.0001\",null],"
                + "\"a_numf\":[\"12345678901234567890.000123456789\",\"-0.00000000000000000001\"],"
                + "\"a_real\":[3.4028235E38,-1.5],\"a_double\":[1.7976931348623157E308,4.9E-324],\"a_bool\":[true,false,null],"
                + "\"a_date\":[\"" + (bc ? "-4712-01-01" : "0001-01-01") + "\",\"2024-02-29\",\"+5874897-12-31\",null],"
                + "\"a_ts\":[\"0001-01-01T00:00:00.000000\",\"2024-02-29T13:14:15.123456\"],"
                + "\"a_tstz\":[\"2024-02-29T13:14:15.123456Z\",null,\"1500-01-01T00:00:00.000000Z\"],"
                + "\"a_uuid\":[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",null],"
                + "\"a_jsonb\":[\"{\\\"a\\\": [1, 2], \\\"b\\\": 1}\",null,\"\\\"x,}\\\"\"]}");
    }

    /** An empty int4 array stays an empty JSON array, the other arrays NULL. */
    private static Map<String, String> emptyRow(int id) {
        return with(jsonRow(id, null), "a_int4", "json []");
    }

    private static Map<String, String> with(Map<String, String> row, String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(row);
        copy.put(field, value);
        return copy;
    }

    private static void assertNullAndEmpty(Object nullArray, Object emptyArray, Object empty) {
        assertThat(nullArray).isNull();
        assertThat(emptyArray).isEqualTo(empty);
    }

    /** Rows 1 (values), 2 (NULLs) and 5 (empty arrays) by the snapshot, 3, 4 and 6 by the change stream. */
    private void replicate(String db, String values, DataSource target, Supplier<Map<Integer, ?>> rows) throws Exception {
        replicate(db, values, List.of(), target, () -> rows.get().size(), 6, job -> { });
    }

    /**
     * Rows 1 (values), 2 (NULLs), 5 (empty arrays) and 7.. ({@code refusedValues}) by the snapshot, 3, 4, 6 and 17..
     * by the change stream; returns the running job once {@code arrived} counts {@code total} rows. With an
     * {@code errors} datasource, refused rows go to its dead-letter table {@code errors}.
     */
    private void replicate(String db, String values, List<String> refusedValues, DataSource target, Supplier<Integer> arrived,
                           int total, WhileRunning then, DataSource... errors) throws Exception {
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE arrays (id int PRIMARY KEY, " + PostgresArrayITCase.TYPED_COLUMNS + ")",
                "INSERT INTO arrays VALUES (1, " + values + ")", "INSERT INTO arrays (id) VALUES (2)",
                "INSERT INTO arrays (id, a_int4) VALUES (5, '{}')");
        for (int i = 0; i < refusedValues.size(); i++) {
            TestDatabases.postgres(db, "INSERT INTO arrays VALUES (" + (7 + i) + ", " + refusedValues.get(i) + ")");
        }
        String name = "pgarr-" + target.type();
        Pipeline pipeline = Pipeline.named(name).readFrom(source.table("arrays")).writeTo(target.table("arrays"));
        List<DataSource> datasources = new java.util.ArrayList<>(List.of(source, target));
        for (DataSource e : errors) {
            pipeline = pipeline.onError(io.tapflow.dsl.ErrorPolicy.deadLetter(e.table("errors")));
            datasources.add(e);
        }
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline,
                datasources.toArray(DataSource[]::new))), TestDatabases.runOptions(checkpoints))) {
            int half = total / 2;
            await(Duration.ofMinutes(2), () -> arrived.get() == half, () -> "arrived: " + arrived.get(), job);
            TestDatabases.postgres(db, "INSERT INTO arrays VALUES (3, " + values + ")", "INSERT INTO arrays (id) VALUES (4)",
                    "INSERT INTO arrays (id, a_int4) VALUES (6, '{}')");
            for (int i = 0; i < refusedValues.size(); i++) {
                TestDatabases.postgres(db, "INSERT INTO arrays VALUES (" + (17 + i) + ", " + refusedValues.get(i) + ")");
            }
            await(Duration.ofMinutes(2), () -> arrived.get() == total, () -> "arrived: " + arrived.get(), job);
            then.accept(job);
        } finally {
            ConnectorFactories.source("postgres").release(source, name);
        }
    }

    /** What a test checks while its pipeline runs. */
    private interface WhileRunning {
        void accept(RunningPipeline job) throws Exception;
    }

    /** Every array column as PostgreSQL's text of it, in a UTC session. */
    private static Map<Integer, Map<String, String>> arrayTexts(String db) {
        Map<Integer, Map<String, String>> rows = new LinkedHashMap<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery("SELECT id, " + String.join("::text, ", COLUMNS) + "::text FROM arrays ORDER BY id")) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (String column : COLUMNS) {
                        row.put(column, rs.getString(column));
                    }
                    rows.put(rs.getInt(1), row);
                }
            }
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw new IllegalStateException(e);
            }
        }
        return rows;
    }

    private static Map<Integer, Map<String, JsonNode>> mysqlJson(String db) {
        Map<Integer, Map<String, JsonNode>> rows = new LinkedHashMap<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM arrays ORDER BY id")) {
            while (rs.next()) {
                Map<String, JsonNode> row = new LinkedHashMap<>();
                for (String column : COLUMNS) {
                    String text = rs.getString(column);
                    row.put(column, text == null ? null : JSON.readTree(text));
                }
                rows.put(rs.getInt("id"), row);
            }
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() != 1146) {
                throw new IllegalStateException(e);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static Map<Integer, Document> mongo(String db) {
        Map<Integer, Document> rows = new LinkedHashMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection("arrays").find()) {
                rows.put(d.getInteger("id"), d);
            }
        }
        return rows;
    }
}
