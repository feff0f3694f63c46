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
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job is stopped hard after the snapshot and restored from its last checkpoint while changes keep coming: the
 * target ends equal to the source, and a row tampered with in the target while the job was down stays tampered,
 * which proves the restored job took no second snapshot. Likewise for a job stopped half-way through its snapshot: the
 * restored job continues after the last row its checkpoint recorded instead of reading the table again.
 */
class CheckpointRestoreITCase {
    private static final int ROWS = 5_000;

    @TempDir
    Path checkpoints;

    @Test
    void restoredJobContinuesFromTheBinlogWithoutASecondSnapshot() throws Exception {
        String db = TestDatabases.freshName("restore");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        Random random = new Random(7);
        CustomerTables.createWithRows(db, ROWS, random);
        Pipeline pipeline = Pipeline.named("restore").readFrom(mysql.table("customer")).writeTo(pg.table("customer"))
                .checkpointInterval(Duration.ofMillis(500));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Exception> writerFailure = new AtomicReference<>();
        Thread writer;
        try (RunningPipeline first = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> pgRows(db).size() == ROWS, () -> "snapshot rows: " + pgRows(db).size(), first);
            long snapshotDone = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints).map(p -> Checkpoints.completedAtMillis(p) > snapshotDone).orElse(false),
                    () -> "no checkpoint after the snapshot", first);
            writer = startWriter(db, writing, writerFailure);
            Thread.sleep(1_000);
            // Hard stop: cancel, no savepoint; only the retained checkpoint survives.
            first.cancel(Duration.ofSeconds(30));
        }
        tamper(db);
        Thread.sleep(1_000);

        Path checkpoint = Checkpoints.latest(checkpoints).orElseThrow();
        try (RunningPipeline second = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints).withRestoreFrom(checkpoint))) {
            Thread.sleep(2_000);
            writing.set(false);
            writer.join();
            assertThat(writerFailure.get()).isNull();
            Map<Integer, Map<String, String>> source = CustomerTables.readMariaDb(db);
            await(Duration.ofMinutes(1), () -> withoutTampered(pgRows(db)).equals(withoutTampered(source)),
                    () -> "target differs: " + pgRows(db).size() + " rows vs " + source.size(), second);
            assertThat(pgRows(db).get(1).get("name")).as("row 1 was re-snapshotted").isEqualTo("TAMPERED");
        }
    }

    @Test
    void jobStoppedDuringTheSnapshotContinuesAfterTheLastWrittenRow() throws Exception {
        int rows = 100_000;
        String db = TestDatabases.freshName("midsnap");
        // One split for the whole table: only the split's recorded progress can keep a restore from reading it again.
        DataSource mysql = TestDatabases.mysqlSource(db).option("snapshot.chunk-size", 1_000_000);
        DataSource pg = TestDatabases.postgresTarget(db);
        CustomerTables.createWithRows(db, rows, new Random(5));
        Pipeline pipeline = Pipeline.named("midsnap").readFrom(mysql.table("customer")).writeTo(pg.table("customer"))
                .checkpointInterval(Duration.ofMillis(200));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        // Small sink batches slow the snapshot down enough to stop it half-way.
        LocalRunOptions options = new LocalRunOptions(checkpoints, -1, null, new SinkOptions(50, 20));

        try (RunningPipeline first = LocalPipelineRunner.start(plan, options)) {
            await(Duration.ofMinutes(2), () -> CustomerTables.countPostgres(db, "customer") >= 5_000,
                    () -> "snapshot rows: " + CustomerTables.countPostgres(db, "customer"), first);
            long rowsWritten = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints)
                            .map(p -> Checkpoints.completedAtMillis(p) > rowsWritten).orElse(false),
                    () -> "no checkpoint during the snapshot", first);
            first.cancel(Duration.ofSeconds(30));
        }
        assertThat(CustomerTables.countPostgres(db, "customer")).as("rows when the job was stopped").isLessThan(rows);
        tamper(db);

        Path checkpoint = Checkpoints.latest(checkpoints).orElseThrow();
        try (RunningPipeline second = LocalPipelineRunner.start(plan, options.withRestoreFrom(checkpoint))) {
            Map<Integer, Map<String, String>> source = CustomerTables.readMariaDb(db);
            await(Duration.ofMinutes(2), () -> withoutTampered(pgRows(db)).equals(withoutTampered(source)),
                    () -> "target has " + CustomerTables.countPostgres(db, "customer") + " of " + rows + " rows", second);
            assertThat(pgRows(db).get(1).get("name")).as("row 1 was read again after the restore").isEqualTo("TAMPERED");
        }
    }

    private static Thread startWriter(String db, AtomicBoolean writing, AtomicReference<Exception> failure) {
        Thread t = new Thread(() -> {
            Random random = new Random(11);
            try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
                int nextId = ROWS + 1;
                while (writing.get()) {
                    nextId = CustomerTables.randomChange(c, random, nextId, 2);
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.start();
        return t;
    }

    private static void tamper(String db) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE customer SET name = 'TAMPERED' WHERE id = 1")).isEqualTo(1);
        }
    }

    private static Map<Integer, Map<String, String>> withoutTampered(Map<Integer, Map<String, String>> rows) {
        Map<Integer, Map<String, String>> copy = new java.util.TreeMap<>(rows);
        copy.remove(1);
        return copy;
    }

    private static Map<Integer, Map<String, String>> pgRows(String db) {
        return CustomerTables.readPostgres(db, "customer");
    }
}
