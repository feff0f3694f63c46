package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB VARCHAR may hold a NUL character (U+0000), and a MariaDB JSON text its escape; PostgreSQL text and jsonb
 * cannot. Into PostgreSQL such a row is refused under the error policy, naming table, row and column, the same way
 * from the snapshot and from the change stream; MariaDB and MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names
 * a real mongod) targets hold it exactly.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NulCharacterITCase {
    private static final String TABLE = "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20), doc JSON)";
    private static final String WITH_NUL = "CONCAT('a', CHAR(0), 'b')";
    /** JSON whose string holds the escape of a NUL (a backslash, u0000), as an SQL literal. */
    private static final String JSON_NUL = "'{\"a\": \"x\\\\u0000y\"}'";
    /** JSON whose string holds a backslash followed by u0000, its escape escaped: jsonb holds it. */
    private static final String JSON_ESCAPED_ESCAPE = "{\"b\": \"\\\\u0000\"}";

    @TempDir
    Path checkpoints;

    @Test
    void postgresRefusesASnapshotRowWithANulNamingItsRowAndColumn() throws Exception {
        String db = TestDatabases.freshName("nulsnap");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, TABLE, "INSERT INTO notes (id, body) VALUES (1, 'ok'), (2, " + WITH_NUL + "), (3, 'fine')");
        assertThat(failureInto(db, source, () -> { })).hasMessageContaining("target refused row {id=2} of " + db
                + ".notes (to notes): column 'body' holds a NUL character (U+0000), which PostgreSQL text and json values cannot hold");
    }

    @Test
    void postgresRefusesAChangeWithANulNamingItsRowAndColumn() throws Exception {
        String db = TestDatabases.freshName("nulchange");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, TABLE, "INSERT INTO notes (id, body) VALUES (1, 'ok')");
        Throwable failure = failureInto(db, source, () -> TestDatabases.mysql(db,
                "INSERT INTO notes (id, body) VALUES (12, 'x'), (13, " + WITH_NUL + "), (14, 'y')"));
        assertThat(failure).hasMessageContaining("target refused row {id=13} of " + db
                + ".notes (to notes): column 'body' holds a NUL character (U+0000)");
    }

    /** Under 'skip' only the rows with a NUL stay out of PostgreSQL, from the snapshot and from the change stream. */
    @Test
    void underSkipTheOtherRowsReachPostgres() throws Exception {
        String db = TestDatabases.freshName("nulskip");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, TABLE, "INSERT INTO notes (id, body) VALUES (1, 'ok'), (2, " + WITH_NUL + "), (3, 'fine')");
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        Pipeline pipeline = Pipeline.named("nul-skip").readFrom(source.table("notes")).writeTo(pg.table("notes"))
                .onError(ErrorPolicy.skip(10));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, pg)),
                TestDatabases.runOptions(checkpoints))) {
            TestDatabases.await(Duration.ofMinutes(2), () -> postgresRows(db + "_t").size() == 2, () -> "snapshot rows", job);
            TestDatabases.mysql(db, "INSERT INTO notes (id, body) VALUES (12, " + WITH_NUL + "), (13, 'later')");
            TestDatabases.await(Duration.ofMinutes(2), () -> postgresRows(db + "_t").containsKey(13), () -> "change rows", job);
        }
        assertThat(postgresRows(db + "_t")).isEqualTo(Map.of(1, "ok", 3, "fine", 13, "later"));
    }

    /**
     * PostgreSQL jsonb refuses the escape of a NUL in a JSON text (json holds it, jsonb would have to decode it into
     * text), naming only the escape; the refusal names column and row, from the snapshot and the change stream. An
     * escaped backslash before u0000 is no such escape and arrives.
     */
    @Test
    void postgresRefusesTheJsonEscapeOfANulNamingItsRowAndColumnOnBothPaths() throws Exception {
        String db = TestDatabases.freshName("nuljson");
        DataSource source = TestDatabases.mysqlSource(db);
        String escapedEscape = "'" + JSON_ESCAPED_ESCAPE.replace("\\", "\\\\") + "'";
        TestDatabases.mysql(db, TABLE, "INSERT INTO notes (id, doc) VALUES (1, '{}'), (2, " + JSON_NUL + "), (3, "
                + escapedEscape + ")");
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        DataSource errors = TestDatabases.postgresTarget(db + "_e");
        Pipeline pipeline = Pipeline.named("nul-json").readFrom(source.table("notes")).writeTo(pg.table("notes"))
                .onError(ErrorPolicy.deadLetter(errors.table("errors")));
        java.util.function.Supplier<Map<String, String>> refused = () -> {
            Map<String, String> byKey = new TreeMap<>();
            if (PgRows.tableExists(db + "_e", "errors")) {
                PgRows.read(db + "_e", "errors", "id").forEach(e -> byKey.put(e.get("row_key"), e.get("error")));
            }
            return byKey;
        };
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, pg, errors)),
                TestDatabases.runOptions(checkpoints))) {
            TestDatabases.await(Duration.ofMinutes(2), () -> postgresRows(db + "_t").size() == 2 && refused.get().size() == 1,
                    () -> "snapshot rows " + postgresRows(db + "_t") + ", refused " + refused.get(), job);
            TestDatabases.mysql(db, "INSERT INTO notes (id, doc) VALUES (12, " + JSON_NUL + "), (13, '[]')");
            TestDatabases.await(Duration.ofMinutes(2), () -> postgresRows(db + "_t").size() == 3 && refused.get().size() == 2,
                    () -> "change rows " + postgresRows(db + "_t") + ", refused " + refused.get(), job);
        }
        for (int id : new int[] {2, 12}) {
            assertThat(refused.get().get("{id=" + id + "}")).startsWith("target refused row {id=" + id + "} of " + db
                    + ".notes (to notes): column 'doc' holds the JSON escape \\u0000 (a NUL character), which PostgreSQL jsonb"
                    + " values cannot hold");
        }
        try (Connection c = SharedServers.postgres().connect(db + "_t")) {
            assertThat(rows(c, "SELECT id, doc::text FROM public.notes"))
                    .isEqualTo(Map.of(1, "{}", 3, JSON_ESCAPED_ESCAPE, 13, "[]"));
        }
    }

    @Test
    void mariaDbAndMongoHoldTheNulExactly() throws Exception {
        String db = TestDatabases.freshName("nulkeep");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, TABLE, "INSERT INTO notes (id, body) VALUES (1, 'ok'), (2, " + WITH_NUL + ")");
        DataSource maria = TestDatabases.mysqlTarget(db + "_t");
        DataSource mongo = TestDatabases.mongoTarget(db + "_m");
        try (RunningPipeline toMaria = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(Pipeline.named("nul-maria")
                     .readFrom(source.table("notes")).writeTo(maria.table("notes")), source, maria)),
                     TestDatabases.runOptions(checkpoints.resolve("maria")));
             RunningPipeline toMongo = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(Pipeline.named("nul-mongo")
                     .readFrom(source.table("notes")).writeTo(mongo.table("notes")), source, mongo)),
                     TestDatabases.runOptions(checkpoints.resolve("mongo")));
             MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            TestDatabases.await(Duration.ofMinutes(2), () -> mariaDbRows(db + "_t").size() == 2
                    && client.getDatabase(db + "_m").getCollection("notes").countDocuments() == 2, () -> "snapshot rows", toMaria, toMongo);
            TestDatabases.mysql(db, "INSERT INTO notes (id, body) VALUES (12, CONCAT(CHAR(0), 'x', CHAR(0)))");
            TestDatabases.await(Duration.ofMinutes(2), () -> mariaDbRows(db + "_t").size() == 3
                    && client.getDatabase(db + "_m").getCollection("notes").countDocuments() == 3, () -> "change rows", toMaria, toMongo);
            Map<Integer, String> expected = Map.of(1, "ok", 2, "a\u0000b", 12, "\u0000x\u0000");
            assertThat(mariaDbRows(db + "_t")).isEqualTo(expected);
            Map<Integer, String> inMongo = new TreeMap<>();
            for (Document d : client.getDatabase(db + "_m").getCollection("notes").find()) {
                inMongo.put(((Number) d.get("id")).intValue(), d.getString("body"));
            }
            assertThat(inMongo).isEqualTo(expected);
        }
    }

    private Throwable failureInto(String db, DataSource source, FailureHandlingITCase.SourceChange change) throws Exception {
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        Pipeline pipeline = Pipeline.named("nul-fail").readFrom(source.table("notes")).writeTo(pg.table("notes"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, pg)),
                TestDatabases.runOptions(checkpoints))) {
            TestDatabases.await(Duration.ofMinutes(2), () -> !postgresRows(db + "_t").isEmpty() || job.status().isTerminalState(),
                    () -> "first row");
            change.run();
            return catchThrowable(job::awaitTermination);
        }
    }

    private static Map<Integer, String> postgresRows(String db) {
        try (Connection c = SharedServers.postgres().connect(db)) {
            return rows(c, "SELECT id, body FROM public.notes");
        } catch (SQLException e) {
            return Map.of(); // the table is made by the job
        }
    }

    private static Map<Integer, String> mariaDbRows(String db) {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
            return rows(c, "SELECT id, body FROM notes");
        } catch (SQLException e) {
            return Map.of();
        }
    }

    private static Map<Integer, String> rows(Connection c, String sql) throws SQLException {
        Map<Integer, String> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
            }
        }
        return out;
    }
}
