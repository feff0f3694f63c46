package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline stopped while streaming and run again from its checkpoint delivers a change made while it was stopped,
 * and does so in seconds: the resumed change reader continues at the checkpointed position, replaying nothing from
 * before it. The time bound is generous (the machine may be busy); the measured times are printed for the record.
 */
class ResumeLatencyITCase {
    private static final String DDL = "CREATE TABLE items (id int PRIMARY KEY, name varchar(50))";
    private static final String ROWS = "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')";

    @TempDir
    Path checkpoints;

    /** How a test changes its source database. */
    interface SourceSql {
        void run(String sql) throws SQLException;
    }

    @Test
    void mariaDbSource() throws Exception {
        String db = TestDatabases.freshName("resume");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, DDL, ROWS);
        resumeDeliversTheChangeMadeWhileStopped(db, source, sql -> TestDatabases.mysql(db, sql), false);
    }

    /**
     * Stopped as soon as the snapshot is in the target, as a user may press Ctrl-C: the last checkpoint may then fall
     * between HybridSource's switch to the binlog and the binlog split reaching its reader.
     */
    @Test
    void mariaDbSourceStoppedRightAfterTheSnapshot() throws Exception {
        String db = TestDatabases.freshName("resumesnap");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, DDL, ROWS);
        resumeDeliversTheChangeMadeWhileStopped(db, source, sql -> TestDatabases.mysql(db, sql), true);
    }

    @Test
    void postgresSource() throws Exception {
        String db = TestDatabases.freshName("resumepg");
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, DDL, ROWS);
        resumeDeliversTheChangeMadeWhileStopped(db, source, sql -> TestDatabases.postgres(db, sql), false);
    }

    private void resumeDeliversTheChangeMadeWhileStopped(String db, DataSource source, SourceSql sql,
                                                         boolean stopRightAfterSnapshot) throws Exception {
        String targetDb = db + "_dst";
        DataSource pg = TestDatabases.postgresTarget(targetDb);
        Pipeline pipeline = Pipeline.named("resume-" + db).readFrom(source.table("items")).writeTo(pg.table("items"))
                .checkpointInterval(Duration.ofMillis(500));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, source, pg));

        try (RunningPipeline first = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(1), () -> "c".equals(name(targetDb, 3)), () -> "snapshot", first);
            if (stopRightAfterSnapshot) {
                checkpointAfter(System.currentTimeMillis(), first);
            } else {
                // A live change that arrived proves the change reader runs; a checkpoint after it holds its position.
                sql.run("UPDATE items SET name = 'live' WHERE id = 1");
                await(Duration.ofMinutes(1), () -> "live".equals(name(targetDb, 1)), () -> "live change", first);
                // The checkpoint that completes next may have begun before the change; the one after it began after it.
                long afterChange = checkpointAfter(System.currentTimeMillis(), first);
                checkpointAfter(afterChange, first);
            }
            first.cancel(Duration.ofSeconds(30));
        }
        sql.run("UPDATE items SET name = 'while stopped' WHERE id = 2");
        // A resume that replayed changes from before its checkpoint (from the earliest binlog, say) would write row 1
        // again: that replay is what a slow resume of a source with a long change history spends its time on.
        TestDatabases.postgres(targetDb, "UPDATE items SET name = 'tampered' WHERE id = 1");

        long start = System.nanoTime();
        Path checkpoint = Checkpoints.latest(checkpoints).orElseThrow();
        try (RunningPipeline second = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints)
                .withRestoreFrom(checkpoint))) {
            long submitted = System.nanoTime();
            await(Duration.ofMinutes(2), () -> "while stopped".equals(name(targetDb, 2)), () -> "change made while stopped",
                    second);
            long arrived = System.nanoTime();
            System.out.printf("resume of %s: job submitted after %d ms, change arrived %d ms after the start%n",
                    source.type(), (submitted - start) / 1_000_000, (arrived - start) / 1_000_000);
            assertThat(Duration.ofNanos(arrived - start)).as("time to deliver a change made while stopped")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(name(targetDb, 1)).as("a change from before the checkpoint was replayed").isEqualTo("tampered");
        }
    }

    /** Waits for a checkpoint completed after the time; returns when it completed. */
    private long checkpointAfter(long millis, RunningPipeline job) throws InterruptedException {
        await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints)
                .map(p -> Checkpoints.completedAtMillis(p) > millis).orElse(false), () -> "checkpoint", job);
        return Checkpoints.completedAtMillis(Checkpoints.latest(checkpoints).orElseThrow());
    }

    private static String name(String db, int id) {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM items WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // the table is created when the job starts
        }
    }
}
