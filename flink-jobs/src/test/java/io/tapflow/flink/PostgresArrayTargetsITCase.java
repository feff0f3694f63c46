package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
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
 * of the elements' BSON values.
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

    private static void assertNullAndEmpty(Object nullArray, Object emptyArray, Object empty) {
        assertThat(nullArray).isNull();
        assertThat(emptyArray).isEqualTo(empty);
    }

    /** Rows 1 (values), 2 (NULLs) and 5 (empty arrays) by the snapshot, 3, 4 and 6 by the change stream. */
    private void replicate(String db, String values, DataSource target, Supplier<Map<Integer, ?>> rows) throws Exception {
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE arrays (id int PRIMARY KEY, " + PostgresArrayITCase.TYPED_COLUMNS + ")",
                "INSERT INTO arrays VALUES (1, " + values + ")", "INSERT INTO arrays (id) VALUES (2)",
                "INSERT INTO arrays (id, a_int4) VALUES (5, '{}')");
        String name = "pgarr-" + target.type();
        Pipeline pipeline = Pipeline.named(name).readFrom(source.table("arrays")).writeTo(target.table("arrays"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> rows.get().size() == 3, () -> "rows: " + rows.get().keySet(), job);
            TestDatabases.postgres(db, "INSERT INTO arrays VALUES (3, " + values + ")", "INSERT INTO arrays (id) VALUES (4)",
                    "INSERT INTO arrays (id, a_int4) VALUES (6, '{}')");
            await(Duration.ofMinutes(2), () -> rows.get().size() == 6, () -> "rows: " + rows.get().keySet(), job);
        } finally {
            ConnectorFactories.source("postgres").release(source, name);
        }
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
