package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DROP COLUMN, RENAME COLUMN and TRUNCATE at parallelism 2 while rows on many keys flow: the rows before each change
 * wait in both sink subtasks' buffers when the change reaches the target, so a change made ahead of them would fail
 * their batch (a dropped column), lose their values (a renamed one) or outlive the TRUNCATE (rows before it written
 * into the emptied table); one made after rows that follow it would delete those. Under evolve the target equals the
 * source row for row and no batch is written twice; under lenient the old columns stay and the new one is added.
 */
class ParallelSchemaChangesITCase {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int ROWS = 400;
    /** Rows changed on every key, a column dropped, rows, a column renamed, rows: each change has rows on both sides. */
    private static final String[] CHANGES = {
            "UPDATE t SET b = b + 1000, c = c + 1", "ALTER TABLE t DROP COLUMN c", "UPDATE t SET b = b + 1 WHERE id % 2 = 0",
            "ALTER TABLE t RENAME COLUMN b TO bee", "UPDATE t SET bee = bee + 1 WHERE id % 3 = 0", "INSERT INTO t VALUES (1001, 'new', 5)"};
    /** CHANGES, then a TRUNCATE between changes of every row (before) and rows on half the old keys and new ones (after). */
    private static final String[] CHANGES_AND_TRUNCATE = concat(CHANGES, truncateBetweenRows("bee", false));

    @TempDir
    Path checkpoints;

    @Test
    void evolveIntoPostgresDropsAndRenamesAfterEverySubtaskWroteTheRowsBefore() throws Exception {
        String db = TestDatabases.freshName("par_evo");
        DataSource src = source(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        try (LogCapture writer = new LogCapture(Class.forName("io.tapflow.flink.sink.jdbc.JdbcUpsertWriter"));
             LogCapture coordinator = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeCoordinator"))) {
            run(db, src, pg, "evolve", CHANGES_AND_TRUNCATE, () -> PgRows.read(db, "t", "id"), () -> MariaDbRows.read(db, "t"));
            assertThat(writer.text()).doesNotContain("failed");
            assertThat(coordinator.text()).contains("target table t: DROP COLUMN c made after every sink subtask wrote the rows before it",
                    "target table t: RENAME COLUMN b TO bee made after every sink subtask wrote the rows before it",
                    "target table t: TRUNCATE made after every sink subtask wrote the rows before it: DELETE FROM \"public\".\"t\"");
        }
        assertThat(PgRows.read(db, "t", "id")).isEqualTo(MariaDbRows.read(db, "t"));
    }

    @Test
    void evolveIntoMariaDbDropsAndRenamesAfterEverySubtaskWroteTheRowsBefore() throws Exception {
        String db = TestDatabases.freshName("par_evm");
        DataSource src = source(db);
        DataSource my = TestDatabases.mysqlTarget(db + "_t");
        try (LogCapture writer = new LogCapture(Class.forName("io.tapflow.flink.sink.jdbc.JdbcUpsertWriter"))) {
            run(db, src, my, "evolve", CHANGES_AND_TRUNCATE, () -> MariaDbRows.read(db + "_t", "t"), () -> MariaDbRows.read(db, "t"));
            assertThat(writer.text()).doesNotContain("failed");
        }
        assertThat(MariaDbRows.read(db + "_t", "t")).isEqualTo(MariaDbRows.read(db, "t"));
    }

    /** Lenient: the dropped column and the renamed column's old name stay, NULL in the rows written after the change. */
    @Test
    void lenientIntoPostgresKeepsTheOldColumns() throws Exception {
        String db = TestDatabases.freshName("par_len");
        DataSource src = source(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        List<Map<String, String>> expected = lenientTarget();
        try (LogCapture follower = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"))) {
            run(db, src, pg, "lenient", CHANGES, () -> PgRows.read(db, "t", "id"), () -> expected);
            assertThat(follower.text()).contains("schema change on " + db + ".t: DROP COLUMN c -> target: t unchanged (policy lenient)",
                    "schema change on " + db + ".t: RENAME COLUMN b TO bee -> target: ALTER TABLE \"public\".\"t\" ADD COLUMN \"bee\"");
        }
        assertThat(PgRows.read(db, "t", "id")).isEqualTo(expected);
    }

    /** From PostgreSQL (a TRUNCATE in pgoutput) into MySQL: only the rows after the TRUNCATE stay. */
    @Test
    void evolveFromPostgresIntoMySqlTruncatesAfterEverySubtaskWroteTheRowsBefore() throws Exception {
        String db = TestDatabases.freshName("par_trp");
        DataSource src = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b INT, c INT)", insertRows(1, ROWS, "a", true));
        DataSource my = TestDatabases.mysqlTarget(db + "_t");
        try (LogCapture coordinator = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeCoordinator"))) {
            run(db, src, my, "evolve", sql -> TestDatabases.postgres(db, sql), truncateBetweenRows("b", true),
                    () -> MariaDbRows.read(db + "_t", "t"), () -> PgRows.read(db, "t", "id"));
            assertThat(coordinator.text()).contains("target table t: TRUNCATE made after every sink subtask wrote the rows before it");
        }
        assertThat(MariaDbRows.read(db + "_t", "t")).isEqualTo(PgRows.read(db, "t", "id")).hasSize(ROWS / 2 + 50);
    }

    /** Into MongoDB (the mongo-java-server emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod). */
    @Test
    void evolveIntoMongoDeletesEveryDocumentAfterEverySubtaskWroteTheRowsBefore() throws Exception {
        String db = TestDatabases.freshName("par_trm");
        DataSource src = source(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        try (LogCapture coordinator = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeCoordinator"))) {
            run(db, src, mongo, "evolve", sql -> TestDatabases.mysql(db, sql), truncateBetweenRows("b", true),
                    () -> mongoRows(db), () -> MariaDbRows.read(db, "t"));
            assertThat(coordinator.text()).contains("target table t: TRUNCATE made after every sink subtask wrote the rows "
                    + "before it: deleteMany({}) on t");
        }
        assertThat(mongoRows(db)).isEqualTo(MariaDbRows.read(db, "t")).hasSize(ROWS / 2 + 50);
    }

    private DataSource source(String db) throws Exception {
        DataSource src = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b INT, c INT)", insertRows(1, ROWS, "a", true));
        return src;
    }

    /** Rows {@code from..to}: (id, '&lt;prefix&gt;id', id, [id]). */
    private static String insertRows(int from, int to, String prefix, boolean withC) {
        StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
        for (int id = from; id <= to; id++) {
            insert.append(id == from ? "" : ", ").append("(").append(id).append(", '").append(prefix).append(id).append("', ")
                    .append(id).append(withC ? ", " + id : "").append(")");
        }
        return insert.toString();
    }

    /**
     * Every row changed (the changes wait in both sink subtasks' buffers when the TRUNCATE comes), TRUNCATE, rows on
     * every other old key and 50 new ones (some reach a sink subtask before the other has met the TRUNCATE), changes.
     */
    private static String[] truncateBetweenRows(String b, boolean withC) {
        StringBuilder again = new StringBuilder(insertRows(ROWS + 1, ROWS + 50, "after", withC));
        for (int id = 1; id <= ROWS; id += 2) {
            again.append(", (").append(id).append(", 'after").append(id).append("', ").append(id).append(withC ? ", " + id : "").append(")");
        }
        return new String[] {"UPDATE t SET " + b + " = " + b + " + 7", "TRUNCATE TABLE t", again.toString(),
                "UPDATE t SET " + b + " = " + b + " + 1 WHERE id % 3 = 0"};
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The documents of collection t as rows ordered by id, without _id. */
    private static List<Map<String, String>> mongoRows(String db) {
        java.util.TreeMap<Integer, Map<String, String>> rows = new java.util.TreeMap<>();
        try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(
                io.tapflow.servers.SharedServers.mongo().connectionString())) {
            for (org.bson.Document d : client.getDatabase(db).getCollection("t").find()) {
                Map<String, String> row = new LinkedHashMap<>();
                d.forEach((k, v) -> {
                    if (!k.equals("_id")) {
                        row.put(k, v == null ? null : v.toString());
                    }
                });
                rows.put(d.getInteger("id"), row);
            }
        }
        return new ArrayList<>(rows.values());
    }

    /** Runs statements in the source database. */
    private interface SourceSql {
        void run(String... statements) throws Exception;
    }

    private void run(String db, DataSource src, DataSource target, String policy, String[] changes,
                     Supplier<List<Map<String, String>>> targetRows, Supplier<List<Map<String, String>>> expected) throws Exception {
        run(db, src, target, policy, sql -> TestDatabases.mysql(db, sql), changes, targetRows, expected);
    }

    private void run(String db, DataSource src, DataSource target, String policy, SourceSql sourceSql, String[] changes,
                     Supplier<List<Map<String, String>>> targetRows, Supplier<List<Map<String, String>>> expected) throws Exception {
        Pipeline p = Pipeline.named(db.replace('_', '-')).readFrom(src.table("t")).writeTo(target).schemaChanges(policy)
                .parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture tasks = new LogCapture(org.apache.flink.runtime.executiongraph.Execution.class);
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, target)),
                TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> targetRows.get().size() == ROWS, () -> targetRows.get().size() + " rows", job);
            // At parallelism > 1 the change stream starts after a checkpoint that covers the snapshot. DDL before it
            // starts is not what this test is about (the MySQL CDC source reads the binlog with the table schemas of
            // when its stream starts), so a first change shows it runs.
            sourceSql.run("UPDATE t SET a = 'streaming' WHERE id = 1");
            await(WAIT, () -> "streaming".equals(targetRows.get().get(0).get("a")), () -> targetRows.get().get(0).toString(), job);
            sourceSql.run(changes);
            await(WAIT, () -> targetRows.get().equals(expected.get()), () -> diff(targetRows.get(), expected.get())
                    + "; task failures: " + failures(tasks.text()), job);
            assertThat(failures(tasks.text())).as("no task failed").isEmpty();
        }
    }

    /** The target under lenient: {@code c} NULL where a row was written after the drop, {@code b} where after the rename. */
    private static List<Map<String, String>> lenientTarget() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int id = 1; id <= ROWS; id++) {
            boolean afterDrop = id % 2 == 0 || id % 3 == 0;
            boolean afterRename = id % 3 == 0;
            int b = id + 1000 + (id % 2 == 0 ? 1 : 0);
            rows.add(row(id, id == 1 ? "streaming" : "a" + id, afterRename ? null : b, afterDrop ? null : id + 1, afterRename ? b + 1 : null));
        }
        rows.add(row(1001, "new", null, null, 5));
        return rows;
    }

    private static Map<String, String> row(int id, String a, Integer b, Integer c, Integer bee) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", Integer.toString(id));
        row.put("a", a);
        row.put("b", b == null ? null : b.toString());
        row.put("c", c == null ? null : c.toString());
        row.put("bee", bee == null ? null : bee.toString());
        return row;
    }

    private static List<String> failures(String taskLog) {
        return taskLog.lines().filter(l -> l.contains("to FAILED")).toList();
    }

    private static String diff(List<Map<String, String>> actual, List<Map<String, String>> expected) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(actual.size(), expected.size()) && out.size() < 5; i++) {
            Map<String, String> a = i < actual.size() ? actual.get(i) : null;
            Map<String, String> e = i < expected.size() ? expected.get(i) : null;
            if (a == null || !a.equals(e)) {
                out.add("target " + a + " expected " + e);
            }
        }
        return actual.size() + " rows, expected " + expected.size() + "; first differences: " + out;
    }
}
