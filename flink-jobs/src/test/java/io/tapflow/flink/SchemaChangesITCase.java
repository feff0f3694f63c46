package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes made in a MariaDB source while the job runs, beside the matrix of {@link SchemaChangeMatrixITCase}:
 * the follower's log lines, per-kind policy overrides, a rename step applied to a widened column, an added ENUM keeping its values' case in a
 * MySQL target, columns added while the job was stopped, and a change that breaks a step named with the step.
 */
class SchemaChangesITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path checkpoints;

    @Test
    void lenientIntoPostgresAddsAndWidensAndKeepsDroppedColumns() throws Exception {
        String db = TestDatabases.freshName("sch_len");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT)", "INSERT INTO t VALUES (1, 'x', 1), (5, 'v', 5)");
        Pipeline p = Pipeline.named("sch-len").readFrom(src.table("t")).renameFields(Map.of("a", "alpha"))
                .writeTo(pg).checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, pg)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> pgRows(db).size() == 2, () -> pgRows(db).toString(), job);
            TestDatabases.mysql(db, "ALTER TABLE t ADD COLUMN note VARCHAR(40) DEFAULT 'd'", "ALTER TABLE t ADD COLUMN n2 INT",
                    "INSERT INTO t (id, a, b, n2) VALUES (2, 'y', 2, 7)", "UPDATE t SET note = 'n1' WHERE id = 1");
            // Row 5 is not changed: the target's existing rows get the source's DEFAULT as the source's did.
            await(WAIT, () -> pgRows(db).toString().equals("[{id=1, alpha=x, b=1, note=n1, n2=null}, {id=2, alpha=y, b=2, note=d, n2=7}, "
                            + "{id=5, alpha=v, b=5, note=d, n2=null}]"),
                    () -> pgRows(db).toString(), job);
            TestDatabases.mysql(db, "ALTER TABLE t MODIFY a VARCHAR(30)", "INSERT INTO t (id, a, b) VALUES (3, 'a-much-longer-value', 3)");
            await(WAIT, () -> pgRows(db).size() == 4, () -> pgRows(db).toString(), job);
            assertThat(pgColumnType(db, "alpha")).isEqualTo("character varying(30)");
            TestDatabases.mysql(db, "ALTER TABLE t DROP COLUMN b", "INSERT INTO t (id, a) VALUES (4, 'z')");
            await(WAIT, () -> pgRows(db).size() == 5, () -> pgRows(db).toString(), job);
            assertThat(log.text()).contains("tapflow[" + job.jobId() + "] schema change on " + db + ".t: ADD COLUMN note "
                    + "varchar(40), ADD COLUMN n2 int(11) -> target: ALTER TABLE \"public\".\"t\" ADD COLUMN \"note\" varchar(40) NULL DEFAULT 'd'; "
                    + "ALTER TABLE \"public\".\"t\" ADD COLUMN \"n2\" integer NULL (policy lenient)",
                    "schema change on " + db + ".t: MODIFY a varchar(10) -> varchar(30) -> target: ALTER TABLE \"public\".\"t\" "
                            + "ALTER COLUMN \"alpha\" TYPE varchar(30) (policy lenient)",
                    "schema change on " + db + ".t: DROP COLUMN b -> target: t unchanged (policy lenient)");
        }
        assertThat(pgRows(db).toString()).isEqualTo("[{id=1, alpha=x, b=1, note=n1, n2=null}, {id=2, alpha=y, b=2, note=d, n2=7}, "
                + "{id=3, alpha=a-much-longer-value, b=3, note=d, n2=null}, {id=4, alpha=z, b=null, note=d, n2=null}, "
                + "{id=5, alpha=v, b=5, note=d, n2=null}]");
    }

    /**
     * DDL made while the job is stopped: the resumed job (from its checkpoint) is planned against the new schema, the
     * column added in between is added to the target first, and the changes made after the DDL arrive.
     */
    @Test
    void columnsAddedWhileStoppedReachTheTargetOnResume() throws Exception {
        String db = TestDatabases.freshName("sch_stop");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))", "INSERT INTO t VALUES (1, 'x')");
        Pipeline p = Pipeline.named("sch-stop").readFrom(src.table("t")).writeTo(pg).checkpointInterval(Duration.ofMillis(500));
        try (RunningPipeline first = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, pg)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> pgRows(db).size() == 1, () -> pgRows(db).toString(), first);
            long loaded = System.currentTimeMillis();
            await(WAIT, () -> io.tapflow.flink.job.Checkpoints.latest(checkpoints)
                    .map(c -> io.tapflow.flink.job.Checkpoints.completedAtMillis(c) > loaded).orElse(false), () -> "no checkpoint", first);
            first.cancel(Duration.ofSeconds(30));
        }
        // Rows written before the DDL while the job was stopped, drops and renames: SchemaChangesWhileStoppedITCase.
        TestDatabases.mysql(db, "ALTER TABLE t ADD COLUMN note VARCHAR(40)",
                "INSERT INTO t VALUES (3, 'after', 'n')", "UPDATE t SET note = 'm' WHERE id = 1");
        io.tapflow.flink.job.JobPlan resumed = JobPlanner.plan(JobSpec.of(p, src, pg));
        assertThat(resumed.createdTargetTables()).containsExactly(
                "t (ADD COLUMN note varchar(40): a column the source gained while the job was stopped)");
        try (RunningPipeline second = LocalPipelineRunner.start(resumed, TestDatabases.runOptions(checkpoints)
                .withRestoreFrom(io.tapflow.flink.job.Checkpoints.latest(checkpoints).orElseThrow()))) {
            await(WAIT, () -> pgRows(db).toString().equals("[{id=1, a=x, note=m}, {id=3, a=after, note=n}]"),
                    () -> pgRows(db).toString(), second);
        }
    }

    @Test
    void evolveIntoMySqlRenamesAndDropsColumns() throws Exception {
        String db = TestDatabases.freshName("sch_evo");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource my = TestDatabases.mysqlTarget(db + "_t");
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT, c INT)", "INSERT INTO t VALUES (1, 'x', 1, 1)");
        Pipeline p = Pipeline.named("sch-evo").readFrom(src.table("t")).writeTo(my).schemaChanges("evolve")
                .checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, my)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> mysqlRows(db + "_t").size() == 1, () -> mysqlRows(db + "_t").toString(), job);
            TestDatabases.mysql(db, "ALTER TABLE t RENAME COLUMN b TO bee", "INSERT INTO t VALUES (2, 'y', 2, 2)");
            await(WAIT, () -> mysqlRows(db + "_t").size() == 2, () -> mysqlRows(db + "_t").toString(), job);
            // A drop and an add seen together at one position with one type look like a rename (the binlog rows
            // show the new shape, not the statement): a row between them keeps them apart.
            TestDatabases.mysql(db, "ALTER TABLE t DROP COLUMN c", "INSERT INTO t VALUES (3, 'z', 3)");
            await(WAIT, () -> mysqlRows(db + "_t").size() == 3, () -> mysqlRows(db + "_t").toString(), job);
            // An added ENUM keeps its values' case in the target's column type (enum('pg') would store 'PG' as 'pg').
            TestDatabases.mysql(db, "ALTER TABLE t ADD COLUMN d INT, ADD COLUMN e ENUM('PG','My')", "INSERT INTO t VALUES (4, 'w', 4, 9, 'PG')");
            await(WAIT, () -> mysqlRows(db + "_t").size() == 4, () -> mysqlRows(db + "_t").toString(), job);
            assertThat(mysqlRows(db + "_t").toString()).isEqualTo("[{id=1, a=x, bee=1, d=null, e=null}, {id=2, a=y, bee=2, d=null, e=null}, "
                    + "{id=3, a=z, bee=3, d=null, e=null}, {id=4, a=w, bee=4, d=9, e=PG}]");
            TestDatabases.mysql(db, "TRUNCATE TABLE t", "INSERT INTO t VALUES (5, 'v', 5, 5, 'My')");
            await(WAIT, () -> mysqlRows(db + "_t").size() == 1, () -> mysqlRows(db + "_t").toString(), job);
        }
        assertThat(mysqlRows(db + "_t").toString()).isEqualTo("[{id=5, a=v, bee=5, d=5, e=My}]");
        assertThat(MariaDbRows.columnTypes(db + "_t", "t").get("e")).isEqualTo("enum('PG','My')");
    }

    /**
     * Per-kind overrides: under evolve, a DROP COLUMN made lenient keeps the target column (NULL from then on), a
     * TRUNCATE made ignore only reports, and an ADD COLUMN still evolves; explain's matrix names the overrides.
     */
    @Test
    void overriddenKindsFollowTheirOwnPolicyUnderEvolve() throws Exception {
        String db = TestDatabases.freshName("sch_ovr");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT)", "INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 2)");
        Pipeline p = Pipeline.named("sch-ovr").readFrom(src.table("t")).writeTo(pg).schemaChanges("evolve")
                .schemaChange("drop_column", "lenient").schemaChange("truncate", "ignore").checkpointInterval(Duration.ofSeconds(1));
        assertThat(io.tapflow.flink.job.PipelineExplainer.explain(JobSpec.of(p, src, pg)).schemaChanges())
                .extracting(e -> e.change() + ": " + e.effect())
                .contains("DROP COLUMN: the target column stays, written NULL from then on [override drop_column: lenient]",
                        "TRUNCATE: reported, not applied: the target keeps its rows [override truncate: ignore]")
                .anyMatch(e -> e.startsWith("ADD COLUMN: ALTER TABLE ... ADD COLUMN") && !e.contains("override"));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, pg)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> pgRows(db).size() == 2, () -> pgRows(db).toString(), job);
            TestDatabases.mysql(db, "ALTER TABLE t DROP COLUMN b", "INSERT INTO t VALUES (3, 'z')", "UPDATE t SET a = 'x2' WHERE id = 1");
            await(WAIT, () -> pgRows(db).toString().equals("[{id=1, a=x2, b=null}, {id=2, a=y, b=2}, {id=3, a=z, b=null}]"),
                    () -> pgRows(db).toString(), job);
            TestDatabases.mysql(db, "ALTER TABLE t ADD COLUMN note VARCHAR(20)", "INSERT INTO t VALUES (4, 'w', 'n')");
            await(WAIT, () -> pgRows(db).size() == 4, () -> pgRows(db).toString(), job);
            TestDatabases.mysql(db, "TRUNCATE TABLE t", "INSERT INTO t VALUES (5, 'v', 'm')");
            await(WAIT, () -> pgRows(db).size() == 5, () -> pgRows(db).toString(), job);
            assertThat(log.text()).contains(
                    "schema change on " + db + ".t: DROP COLUMN b -> target: t unchanged (policy evolve, drop_column lenient, truncate ignore)",
                    "schema change on " + db + ".t: ADD COLUMN note varchar(20) -> target: ALTER TABLE \"public\".\"t\" ADD COLUMN \"note\" "
                            + "varchar(20) NULL (policy evolve, drop_column lenient, truncate ignore)",
                    "schema change on " + db + ".t: TRUNCATE -> target: t keeps its rows (a TRUNCATE is reported, not applied) (policy ignore)");
        }
        assertThat(pgRows(db).toString()).isEqualTo("[{id=1, a=x2, b=null, note=null}, {id=2, a=y, b=2, note=null}, "
                + "{id=3, a=z, b=null, note=null}, {id=4, a=w, b=null, note=n}, {id=5, a=v, b=null, note=m}]");
    }

    @Test
    void failStopsTheJobNamingTheChangeAndABrokenStepIsNamed() throws Exception {
        String db = TestDatabases.freshName("sch_fail");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))", "INSERT INTO t VALUES (1, 'x')",
                "CREATE TABLE u (id INT PRIMARY KEY, code VARCHAR(10))", "INSERT INTO u VALUES (1, '7')");
        Pipeline fail = Pipeline.named("sch-fail").readFrom(src.table("t")).writeTo(pg).schemaChanges("fail")
                .checkpointInterval(Duration.ofSeconds(1));
        Pipeline broken = Pipeline.named("sch-broken").readFrom(src.table("u")).changeType("code", FieldType.INTEGER)
                .writeTo(pg).schemaChanges("evolve").checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline failing = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(fail, src, pg)),
                TestDatabases.runOptions(checkpoints.resolve("f")));
             RunningPipeline breaking = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(broken, src, pg)),
                     TestDatabases.runOptions(checkpoints.resolve("b")))) {
            await(WAIT, () -> PgRows.read(db, "t", "id").size() == 1 && PgRows.read(db, "u", "id").size() == 1, () -> "", failing, breaking);
            TestDatabases.mysql(db, "ALTER TABLE t ADD COLUMN note VARCHAR(40)", "INSERT INTO t VALUES (2, 'y', 'n')",
                    "ALTER TABLE u RENAME COLUMN code TO code2", "INSERT INTO u VALUES (2, '8')");
            assertThatThrownBy(failing::awaitTermination).hasMessageContaining(
                    "schema change on " + db + ".t: ADD COLUMN note varchar(40); the pipeline's schema-change policy is fail");
            assertThatThrownBy(breaking::awaitTermination).hasMessageContaining(
                    "schema change on " + db + ".u: RENAME COLUMN code TO code2 breaks the pipeline: step 'change-type-")
                    .hasMessageContaining("names field 'code', which " + db + ".u does not have");
        }
        assertThat(PgRows.read(db, "t", "id")).hasSize(1);
    }

    private static List<Map<String, String>> pgRows(String db) {
        return PgRows.read(db, "t", "id");
    }

    private static String pgColumnType(String db, String column) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.t'::regclass "
                     + "AND attname = '" + column + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<Map<String, String>> mysqlRows(String db) {
        return MariaDbRows.read(db, "t");
    }
}
