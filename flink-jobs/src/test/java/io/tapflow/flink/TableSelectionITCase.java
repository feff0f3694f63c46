package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.schema.TargetTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables selected by regular expressions on real servers: every matching MariaDB table is snapshotted and streamed,
 * each into its own PostgreSQL table; the same patterns can union them into one; a pattern matching nothing is a
 * planning error naming the tables there are; PostgreSQL sources match {@code schema.table} and follow new tables
 * when the user may publish the whole schema.
 */
class TableSelectionITCase {
    @TempDir
    Path checkpoints;

    @Test
    void everyMatchingTableIsSnapshottedAndStreamedIntoItsOwnTable() throws Exception {
        String db = TestDatabases.freshName("tsel");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE order_1 (id INT PRIMARY KEY, item VARCHAR(20))",
                "CREATE TABLE order_2 (id INT PRIMARY KEY, item VARCHAR(20))",
                "CREATE TABLE order_tmp (id INT PRIMARY KEY, item VARCHAR(20))",
                "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO order_1 VALUES (1, 'pen'), (2, 'ink')", "INSERT INTO order_2 VALUES (10, 'cup')",
                "INSERT INTO order_tmp VALUES (99, 'scratch')", "INSERT INTO customer VALUES (1, 'ann')");
        Pipeline pipeline = Pipeline.named("tsel").readFrom(src.tables(db + "\\.order_.*").except("order_tmp"))
                .renameTables("ods_", "").writeTo(pg).checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, src, pg));
        assertThat(plan.matchedTables()).containsExactly("source '" + src.name() + "': 2 tables match " + db
                + "\\.order_.* (leaving out order_tmp): " + db + ".order_1, " + db + ".order_2");
        assertThat(plan.createdTargetTables()).containsExactly("ods_order_1", "ods_order_2");

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> rows(db, "ods_order_1").equals(List.of("1:pen", "2:ink"))
                    && rows(db, "ods_order_2").equals(List.of("10:cup")), () -> rows(db, "ods_order_1") + " " + rows(db, "ods_order_2"), job);
            TestDatabases.mysql(db, "INSERT INTO order_2 VALUES (11, 'mug')", "UPDATE order_1 SET item = 'red ink' WHERE id = 2",
                    "DELETE FROM order_1 WHERE id = 1", "INSERT INTO order_tmp VALUES (100, 'not read')");
            await(Duration.ofMinutes(2), () -> rows(db, "ods_order_1").equals(List.of("2:red ink"))
                    && rows(db, "ods_order_2").equals(List.of("10:cup", "11:mug")), () -> rows(db, "ods_order_1") + " " + rows(db, "ods_order_2"), job);
        }
        assertThat(PgRows.tableExists(db, "ods_order_tmp")).as("excluded table").isFalse();
        assertThat(PgRows.tableExists(db, "ods_customer")).as("unmatched table").isFalse();
    }

    /**
     * One pipeline over 50 tables a pattern matches: every one snapshotted, then a change in each streamed; then a 51st
     * table created while the job runs arrives row by row (its target table created and the change logged), and a table
     * the pattern does not select stays out.
     */
    @Test
    void fiftyTablesOfOnePattern() throws Exception {
        String db = TestDatabases.freshName("tsel50");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        List<String> ddl = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            ddl.add("CREATE TABLE part_" + i + " (id INT PRIMARY KEY, item VARCHAR(20))");
            ddl.add("INSERT INTO part_" + i + " VALUES (1, 'first " + i + "'), (2, 'second " + i + "')");
        }
        TestDatabases.mysql(db, ddl.toArray(String[]::new));
        Pipeline pipeline = Pipeline.named("tsel50").readFrom(src.tables("part_\\d+")).writeTo(pg)
                .checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, src, pg));
        assertThat(plan.createdTargetTables()).hasSize(50);
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> rowsInAll(db, 2), () -> "not every table has its 2 rows", job);
            List<String> changes = new java.util.ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                changes.add("INSERT INTO part_" + i + " VALUES (3, 'third " + i + "')");
            }
            TestDatabases.mysql(db, changes.toArray(String[]::new));
            await(Duration.ofMinutes(2), () -> rowsInAll(db, 3), () -> "not every table has its 3 rows", job);

            TestDatabases.mysql(db, "CREATE TABLE part_51 (id INT PRIMARY KEY, item VARCHAR(20))",
                    "CREATE TABLE parts_log (id INT PRIMARY KEY, item VARCHAR(20))",
                    "INSERT INTO parts_log VALUES (1, 'not selected')", "INSERT INTO part_51 VALUES (1, 'new 1')");
            await(Duration.ofMinutes(1), () -> rows(db, "part_51").equals(List.of("1:new 1")), () -> rows(db, "part_51").toString(), job);
            TestDatabases.mysql(db, "INSERT INTO part_51 VALUES (2, 'new 2')");
            await(Duration.ofMinutes(1), () -> rows(db, "part_51").equals(List.of("1:new 1", "2:new 2")), () -> rows(db, "part_51").toString(), job);
            TestDatabases.mysql(db, "UPDATE part_51 SET item = 'changed' WHERE id = 1", "DELETE FROM part_51 WHERE id = 2",
                    "INSERT INTO part_1 VALUES (4, 'fourth 1')");
            await(Duration.ofMinutes(1), () -> rows(db, "part_51").equals(List.of("1:changed")) && rows(db, "part_1").size() == 4,
                    () -> rows(db, "part_51").toString(), job);
            assertThat(log.text()).contains("tapflow[" + job.jobId() + "] schema change on " + db + ".part_51: CREATE TABLE "
                    + "-> target: CREATE TABLE \"public\".\"part_51\" (");

            // A dropped table is reported and its target table kept; one created again under its name is a new table.
            // A TRUNCATE is reported and not applied; a dropped table is reported and its target table kept; one created
            // again under its name is a new table.
            TestDatabases.mysql(db, "TRUNCATE TABLE part_3", "INSERT INTO part_3 VALUES (8, 'after truncate')",
                    "DROP TABLE part_2", "CREATE TABLE part_2 (id INT PRIMARY KEY, item VARCHAR(20))",
                    "INSERT INTO part_2 VALUES (9, 'again')");
            await(Duration.ofMinutes(1), () -> rows(db, "part_2").size() == 4 && rows(db, "part_3").size() == 4,
                    () -> rows(db, "part_2") + " " + rows(db, "part_3"), job);
            assertThat(log.text()).contains("tapflow[" + job.jobId() + "] schema change on " + db + ".part_3: TRUNCATE -> "
                    + "target: part_3 keeps its rows (a TRUNCATE is reported, not applied) (policy lenient)",
                    "tapflow[" + job.jobId() + "] schema change on " + db + ".part_2: DROP TABLE -> "
                    + "target: part_2 left as it is (policy lenient)", "schema change on " + db + ".part_2: CREATE TABLE -> "
                    + "target: rows go to part_2, which exists (policy lenient)");
        }
        assertThat(rows(db, "part_2")).containsExactly("1:first 2", "2:second 2", "3:third 2", "9:again");
        assertThat(rows(db, "part_50")).containsExactly("1:first 50", "2:second 50", "3:third 50");
        assertThat(PgRows.tableExists(db, "parts_log")).as("a table the pattern does not select").isFalse();
    }

    private static boolean rowsInAll(String db, int rows) {
        try (java.sql.Connection c = io.tapflow.servers.SharedServers.postgres().connect(db);
             java.sql.Statement s = c.createStatement()) {
            for (int i = 1; i <= 50; i++) {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM part_" + i)) {
                    rs.next();
                    if (rs.getInt(1) != rows) {
                        return false;
                    }
                }
            }
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Test
    void matchingTablesUnionIntoOneTargetAndANonMatchingPatternIsAnError() throws Exception {
        String db = TestDatabases.freshName("tsel_u");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE shard_a (id INT PRIMARY KEY, v INT)", "CREATE TABLE shard_b (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE other (id INT PRIMARY KEY)");
        JobPlan union = JobPlanner.inspect(JobSpec.of(Pipeline.named("u").readFrom(src.tables("shard_[ab]"))
                .writeTo(pg.table("shards")), src, pg));
        assertThat(union.targetTables()).extracting(TargetTable::sourceTable, TargetTable::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(db + ".shard_a", "shards"),
                        org.assertj.core.groups.Tuple.tuple(db + ".shard_b", "shards"));

        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(Pipeline.named("none").readFrom(src.tables("shop\\.order_.*"))
                .writeTo(pg), src, pg)))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("no table of " + db + " matches 'shop\\.order_.*'")
                .hasMessageContaining("tables in " + db + ": other, shard_a, shard_b");
        assertThat(PgRows.tableExists(db, "other")).as("nothing created").isFalse();
    }

    /**
     * Under evolve a TRUNCATE of one table of a union is reported and not applied: the target table holds the other
     * table's rows too, which no field tells apart from the truncated table's (UnionTruncateITCase adds one).
     */
    @Test
    void aTruncateOfOneTableOfAUnionIsNotApplied() throws Exception {
        String db = TestDatabases.freshName("tsel_ut");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE shard_a (id INT PRIMARY KEY, item VARCHAR(20))",
                "CREATE TABLE shard_b (id INT PRIMARY KEY, item VARCHAR(20))",
                "INSERT INTO shard_a VALUES (1, 'a')", "INSERT INTO shard_b VALUES (2, 'b')");
        Pipeline pipeline = Pipeline.named("tsel-ut").readFrom(src.tables("shard_[ab]")).writeTo(pg.table("shards"))
                .schemaChanges("evolve").checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, src, pg)), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> rows(db, "shards").size() == 2, () -> rows(db, "shards").toString(), job);
            TestDatabases.mysql(db, "TRUNCATE TABLE shard_a", "INSERT INTO shard_b VALUES (3, 'c')");
            await(Duration.ofMinutes(1), () -> rows(db, "shards").size() == 3, () -> rows(db, "shards").toString(), job);
            assertThat(log.text()).contains("schema change on " + db + ".shard_a: TRUNCATE -> target: shards keeps its rows "
                    + "(other source tables write shards too (" + db + ".shard_b), and no field of its rows says which source "
                    + "table wrote them; to delete only this table's rows, add the source table as a field");
        }
        assertThat(rows(db, "shards")).containsExactly("1:a", "2:b", "3:c");
    }

    /**
     * A PostgreSQL source selects {@code schema.table} by pattern; as a superuser the pipeline's publication covers the
     * schema, so a matching table created while the job runs is replicated row by row, and an excluded one is not.
     */
    @Test
    void postgresTableCreatedWhileRunningIsReplicated() throws Exception {
        String db = TestDatabases.freshName("tsel_pg");
        DataSource src = TestDatabases.postgresSource(db);
        DataSource target = TestDatabases.postgresTarget(db + "_t");
        TestDatabases.postgres(db, "CREATE TABLE item_1 (id INT PRIMARY KEY, item VARCHAR(20))",
                "CREATE TABLE item_tmp (id INT PRIMARY KEY, item VARCHAR(20))", "CREATE TABLE stock (id INT PRIMARY KEY)",
                "INSERT INTO item_1 VALUES (1, 'pen')", "INSERT INTO item_tmp VALUES (1, 'scratch')");
        Pipeline pipeline = Pipeline.named("pgsel").readFrom(src.tables("public\\.item_.*").except("item_tmp.*"))
                .writeTo(target).checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, src, target));
        assertThat(plan.matchedTables()).containsExactly("source '" + src.name() + "': 1 table match public\\.item_.* "
                + "(leaving out item_tmp.*): public.item_1");
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> rows(db + "_t", "item_1").equals(List.of("1:pen")),
                    () -> rows(db + "_t", "item_1").toString(), job);
            TestDatabases.postgres(db, "CREATE TABLE item_2 (id INT PRIMARY KEY, item VARCHAR(20))",
                    "CREATE TABLE item_tmp2 (id INT PRIMARY KEY, item VARCHAR(20))",
                    "INSERT INTO item_tmp2 VALUES (1, 'not read')", "INSERT INTO item_2 VALUES (1, 'new 1')");
            await(Duration.ofMinutes(1), () -> rows(db + "_t", "item_2").equals(List.of("1:new 1")),
                    () -> rows(db + "_t", "item_2").toString(), job);
            TestDatabases.postgres(db, "INSERT INTO item_2 VALUES (2, 'new 2')");
            await(Duration.ofMinutes(1), () -> rows(db + "_t", "item_2").equals(List.of("1:new 1", "2:new 2")),
                    () -> rows(db + "_t", "item_2").toString(), job);
            TestDatabases.postgres(db, "UPDATE item_2 SET item = 'changed' WHERE id = 1", "DELETE FROM item_2 WHERE id = 2",
                    "INSERT INTO item_1 VALUES (2, 'ink')");
            await(Duration.ofMinutes(1), () -> rows(db + "_t", "item_2").equals(List.of("1:changed"))
                    && rows(db + "_t", "item_1").size() == 2, () -> rows(db + "_t", "item_2").toString(), job);
            assertThat(log.text()).contains("tapflow[" + job.jobId() + "] schema change on public.item_2: CREATE TABLE "
                    + "-> target: CREATE TABLE \"public\".\"item_2\" (");
        }
        assertThat(PgRows.tableExists(db + "_t", "item_tmp")).as("excluded table").isFalse();
        assertThat(PgRows.tableExists(db + "_t", "item_tmp2")).as("excluded table created later").isFalse();
        assertThat(PgRows.tableExists(db + "_t", "stock")).as("unmatched table").isFalse();
    }

    /** A user who may not make a publication covering the schema is told at planning what to grant. */
    @Test
    void postgresUserWithoutRightsIsToldWhatToGrant() throws Exception {
        String db = TestDatabases.freshName("tsel_pgu");
        String user = db + "_user";
        DataSource src = TestDatabases.postgresSource(db).username(user).password("pw");
        TestDatabases.postgres(db, "CREATE TABLE item_1 (id INT PRIMARY KEY)",
                "CREATE ROLE " + user + " LOGIN REPLICATION PASSWORD 'pw'", "GRANT SELECT ON item_1 TO " + user);
        JobPlan plan;
        try {
            plan = JobPlanner.inspect(JobSpec.of(Pipeline.named("pgsel-u").readFrom(src.tables("item_\\d"))
                    .writeTo(TestDatabases.postgresTarget(db + "_t")), src, TestDatabases.postgresTarget(db + "_t")));
        } finally {
            // Roles are the server's, not the database's: leave none behind on a shared server.
            TestDatabases.postgres(db, "REVOKE SELECT ON item_1 FROM " + user, "DROP ROLE " + user);
        }
        assertThat(plan.matchedTables()).containsExactly("source '" + src.name() + "': 1 table match item_\\d: public.item_1",
                "source '" + src.name() + "': publication tapflow_pgsel_u lists the matched tables, and a table created "
                        + "while the job runs is added to it (ALTER PUBLICATION \"tapflow_pgsel_u\" ADD TABLE ...), when "
                        + "user '" + user + "' owns the table, and then read with a snapshot of what it held (for other "
                        + "tables the job logs the statement an administrator must run); to capture new tables from their "
                        + "creation, as a superuser run CREATE PUBLICATION \"tapflow_pgsel_u\" "
                        + schemaScope() + " (or ALTER ROLE \"" + user + "\" SUPERUSER) before starting the pipeline: only a "
                        + "superuser may make a publication cover schema public");
    }

    private static String schemaScope() throws java.sql.SQLException {
        try (java.sql.Connection c = io.tapflow.servers.SharedServers.postgres().connect("postgres");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1) >= 150000 ? "FOR TABLES IN SCHEMA \"public\"" : "FOR ALL TABLES";
        }
    }

    private static List<String> rows(String db, String table) {
        if (!PgRows.tableExists(db, table)) {
            return List.of();
        }
        return PgRows.read(db, table, "id").stream().map(r -> r.get("id") + ":" + r.get("item")).toList();
    }
}
