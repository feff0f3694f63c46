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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL made while a job is stopped with a savepoint, with rows written before, between and after each statement: the
 * resumed job knows the schemas as of its savepoint (they are part of its state), replays the changes in order, makes
 * each schema change in the target when its rows arrive (policy evolve: add, drop, rename), and takes in a table
 * created meanwhile that its pattern selects, and a table with older rows that the resumed pipeline's pattern newly
 * selects (a snapshot of what it holds, then its changes). At the end the target equals the source, row for row.
 */
class SchemaChangesWhileStoppedITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path checkpoints;
    @TempDir
    Path savepoints;

    @Test
    void ddlWhileStoppedIsAppliedInOrderOnResume() throws Exception {
        String db = TestDatabases.freshName("sch_sp");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE s_1 (id INT PRIMARY KEY, a VARCHAR(10), b INT, c INT)",
                "INSERT INTO s_1 VALUES (1, 'x', 1, 1)", "CREATE TABLE s_3 (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO s_3 VALUES (1, 'old'), (2, 'rows')");
        Pipeline p = Pipeline.named("sch-sp").readFrom(src.tables("s_\\d+")).writeTo(pg).schemaChanges("evolve")
                .checkpointInterval(Duration.ofSeconds(1));
        // The first run leaves s_3 out; the resumed one selects it, with rows from before the savepoint's position.
        Pipeline first = Pipeline.named("sch-sp").readFrom(src.tables("s_\\d+").except("s_3")).writeTo(pg)
                .schemaChanges("evolve").checkpointInterval(Duration.ofSeconds(1));
        Path savepoint;
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(first, src, pg)), TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> PgRows.read(db, "s_1", "id").size() == 1, () -> "", job);
            TestDatabases.mysql(db, "INSERT INTO s_1 VALUES (2, 'y', 2, 2)");
            await(WAIT, () -> PgRows.read(db, "s_1", "id").size() == 2, () -> "", job);
            savepoint = job.stopWithSavepoint(savepoints, Duration.ofMinutes(1));
        }
        assertThat(PgRows.tableExists(db, "s_3")).as("left out by the first run").isFalse();
        TestDatabases.mysql(db, "INSERT INTO s_1 VALUES (3, 'before', 3, 3)",
                "ALTER TABLE s_1 ADD COLUMN note VARCHAR(20)", "INSERT INTO s_1 VALUES (4, 'added', 4, 4, 'n4')",
                "UPDATE s_1 SET note = 'n1' WHERE id = 1",
                "ALTER TABLE s_1 DROP COLUMN b", "INSERT INTO s_1 VALUES (5, 'dropped', 5, 'n5')",
                "ALTER TABLE s_1 RENAME COLUMN c TO d", "INSERT INTO s_1 VALUES (6, 'renamed', 6, 'n6')",
                "DELETE FROM s_1 WHERE id = 2",
                "CREATE TABLE s_2 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO s_2 VALUES (1, 'new'), (2, 'table')",
                "INSERT INTO s_3 VALUES (3, 'stopped')", "UPDATE s_3 SET v = 'changed' WHERE id = 1");
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             LogCapture catchUp = new LogCapture(Class.forName("io.tapflow.flink.job.CatchUpSnapshots"));
             RunningPipeline second = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(p, src, pg)),
                     TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            await(WAIT, () -> PgRows.read(db, "s_1", "id").equals(MariaDbRows.read(db, "s_1"))
                            && PgRows.read(db, "s_2", "id").equals(MariaDbRows.read(db, "s_2"))
                            && PgRows.tableExists(db, "s_3") && PgRows.read(db, "s_3", "id").equals(MariaDbRows.read(db, "s_3")),
                    () -> PgRows.read(db, "s_1", "id") + " vs " + MariaDbRows.read(db, "s_1") + "; " + PgRows.read(db, "s_2", "id")
                            + "; " + (PgRows.tableExists(db, "s_3") ? PgRows.read(db, "s_3", "id") : "no s_3"), second);
            assertThat(catchUp.text()).contains("tapflow[" + second.jobId() + "] table " + db + ".s_3 is new to the job "
                    + "since its restored position: its 3 rows read as a snapshot -> target: s_3");
            String marker = "tapflow[" + second.jobId() + "] schema change on " + db + ".s_1: ";
            assertThat(log.text()).containsSubsequence(marker + "ADD COLUMN note varchar(20)", marker + "DROP COLUMN b",
                    marker + "RENAME COLUMN c TO d");
        }
        assertThat(PgRows.read(db, "s_1", "id").toString()).isEqualTo("[{id=1, a=x, d=1, note=n1}, {id=3, a=before, d=3, note=null}, "
                + "{id=4, a=added, d=4, note=n4}, {id=5, a=dropped, d=5, note=n5}, {id=6, a=renamed, d=6, note=n6}]");
    }

    /**
     * MariaDB: a table the resumed pipeline's pattern newly selects, with rows from before the savepoint's position, is
     * read within seconds although no change at all flows (the catch-up snapshot does not wait for one), at
     * parallelism 1 and 2 (there by the subtask that reads the binlog, in order with its changes).
     */
    @ParameterizedTest(name = "parallelism {0} into {1}")
    @CsvSource({"1, postgres", "2, mysql"})
    void aTableNewlySelectedOnResumeIsSnapshottedWithoutAChangeOnMariaDb(int parallelism, String targetType) throws Exception {
        String db = TestDatabases.freshName("sch_sp_my");
        DataSource src = TestDatabases.mysqlSource(db);
        TargetTables target = TargetTables.of(targetType, db + "_t");
        TestDatabases.mysql(db, "CREATE TABLE t_1 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t_1 VALUES (1, 'a')",
                "CREATE TABLE t_2 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t_2 VALUES (1, 'old'), (2, 'rows')");
        String name = "sch-sp-my-" + parallelism;
        Path savepoint = runUntilStreamingThenStop(Pipeline.named(name).readFrom(src.tables("t_\\d").except("t_2"))
                .writeTo(target.datasource()).parallelism(parallelism).checkpointInterval(Duration.ofSeconds(1)), src, target,
                sql -> TestDatabases.mysql(db, sql));
        Pipeline widened = Pipeline.named(name).readFrom(src.tables("t_\\d")).writeTo(target.datasource())
                .parallelism(parallelism).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline second = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(widened, src, target.datasource())),
                TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            await(Duration.ofSeconds(60), () -> target.exists("t_2") && target.rows("t_2").equals(MariaDbRows.read(db, "t_2")),
                    () -> "t_2 not copied", second);
            TestDatabases.mysql(db, "UPDATE t_2 SET v = 'new' WHERE id = 1", "INSERT INTO t_1 VALUES (2, 'b')");
            await(WAIT, () -> target.rows("t_2").equals(MariaDbRows.read(db, "t_2"))
                    && target.rows("t_1").equals(MariaDbRows.read(db, "t_1")), () -> target.rows("t_2").toString(), second);
        }
    }

    /**
     * PostgreSQL, at parallelism 2: a table the resumed pipeline's pattern newly selects gets a snapshot of what it
     * held, within seconds although no change at all flows (the table is unchanged since before the savepoint's
     * position), then its changes. The run reading it stops with a savepoint in turn, and a third run resumes from
     * that: the second released its replication slot (a stop must cancel what calls the follower between changes and
     * close its connections).
     */
    @Test
    void aTableNewlySelectedOnResumeIsSnapshottedOnPostgresAtParallelism2() throws Exception {
        String db = TestDatabases.freshName("sch_sp_pg");
        DataSource src = TestDatabases.postgresSource(db);
        TargetTables targetTables = TargetTables.of("postgres", db + "_t");
        DataSource target = targetTables.datasource();
        TestDatabases.postgres(db, "CREATE TABLE t_1 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t_1 VALUES (1, 'a')",
                "CREATE TABLE t_2 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t_2 VALUES (1, 'old'), (2, 'rows')");
        Path savepoint = runUntilStreamingThenStop(Pipeline.named("sch-sp-pg").readFrom(src.tables("t_\\d").except("t_2"))
                .writeTo(target).parallelism(2).checkpointInterval(Duration.ofSeconds(1)), src, targetTables,
                sql -> TestDatabases.postgres(db, sql));
        Pipeline widened = Pipeline.named("sch-sp-pg").readFrom(src.tables("t_\\d")).writeTo(target)
                .parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline second = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(widened, src, target)),
                TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            await(Duration.ofSeconds(60), () -> PgRows.tableExists(db + "_t", "t_2")
                    && PgRows.read(db + "_t", "t_2", "id").equals(PgRows.read(db, "t_2", "id")),
                    () -> PgRows.tableExists(db + "_t", "t_2") ? PgRows.read(db + "_t", "t_2", "id").toString() : "no t_2", second);
            TestDatabases.postgres(db, "DELETE FROM t_2 WHERE id = 2");
            await(WAIT, () -> PgRows.read(db + "_t", "t_2", "id").equals(PgRows.read(db, "t_2", "id")),
                    () -> PgRows.read(db + "_t", "t_2", "id").toString(), second);
            savepoint = second.stopWithSavepoint(savepoints, Duration.ofMinutes(1));
        }
        TestDatabases.postgres(db, "INSERT INTO t_1 VALUES (2, 'b')", "INSERT INTO t_2 VALUES (4, 'third')");
        try (RunningPipeline third = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(widened, src, target)),
                TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            await(WAIT, () -> PgRows.read(db + "_t", "t_2", "id").equals(PgRows.read(db, "t_2", "id"))
                    && PgRows.read(db + "_t", "t_1", "id").size() == 3, () -> PgRows.read(db + "_t", "t_2", "id").toString(), third);
        }
        assertThat(PgRows.read(db + "_t", "t_2", "id").toString())
                .isEqualTo("[{id=1, v=old}, {id=4, v=third}]");
    }

    /** Statements run in the source database. */
    private interface SourceSql {
        void run(String statement) throws Exception;
    }

    /**
     * Runs the pipeline until t_1's one row and then a row inserted into it (the change stream runs, and with it every
     * task: at parallelism 2 the snapshot's rows are written before the other tasks may be) reached the target, then
     * stops it with a savepoint.
     */
    private Path runUntilStreamingThenStop(Pipeline first, DataSource src, TargetTables target, SourceSql sql) throws Exception {
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(first, src, target.datasource())),
                TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> target.rows("t_1").size() == 1, () -> "", job);
            sql.run("INSERT INTO t_1 VALUES (0, 'streamed')");
            await(WAIT, () -> target.rows("t_1").size() == 2, () -> target.rows("t_1").toString(), job);
            return job.stopWithSavepoint(savepoints, Duration.ofMinutes(1));
        }
    }
}
