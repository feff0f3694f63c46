package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.FlinkJobConfig;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.JobTranslator;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At parallelism 2 snapshot rows go to a sink chained in the task that read them, and only changes take the keyed
 * exchange; the change stream waits for a checkpoint that covers every snapshot row. Changes made before, during and
 * after that switch, and across a savepoint taken while the change stream waits, must all reach the target in order.
 */
class SnapshotForwardingITCase {
    private static final int ROWS = 20_000;

    @TempDir
    Path checkpoints;

    @Test
    void snapshotRowsAreChainedToTheirReaderOnlyWhereThatIsSafe() throws Exception {
        String db = TestDatabases.freshName("fwd_graph");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, CustomerTables.DDL);
        Pipeline base = Pipeline.named("fwd-graph").readFrom(mysql.table("customer")).writeTo(pg.table("customer"));

        List<String> p2 = vertexNames(JobPlanner.plan(JobSpec.of(base.parallelism(2), mysql, pg)));
        assertThat(p2).as("the reader's task writes the snapshot rows")
                .anyMatch(v -> v.startsWith("Source") && v.contains("(snapshot rows)"));
        assertThat(p2).as("changes reach the keyed sink in a task of its own")
                .anyMatch(v -> !v.startsWith("Source") && v.contains("sink: ") && !v.contains("(snapshot rows)"));
        assertThat(vertexNames(JobPlanner.plan(JobSpec.of(base.parallelism(1), mysql, pg))))
                .as("one task has no exchange to skip").noneMatch(v -> v.contains("(snapshot rows)"));
        assertThat(vertexNames(JobPlanner.plan(JobSpec.of(base.parallelism(2).verifySamplePerSecond(10), mysql, pg))))
                .as("the verify sampler needs every row on the keyed stream").noneMatch(v -> v.contains("(snapshot rows)"));
    }

    @Test
    void changesAcrossTheSwitchToTheChangeStreamReachTheTarget() throws Exception {
        String db = TestDatabases.freshName("fwd_switch");
        Random random = new Random(17);
        Fixture f = new Fixture(db, random, Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(f.plan, TestDatabases.runOptions(checkpoints))) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> f.changeUntil(stop));
            // Keep changing through the end of the snapshot, the checkpoint that lets the change stream start, and after.
            await(Duration.ofMinutes(2), () -> CustomerTables.countPostgres(db, "customer") >= ROWS,
                    () -> CustomerTables.countPostgres(db, "customer") + " rows in the target", job);
            Thread.sleep(4_000);
            stop.set(true);
            assertThat(writer.get()).as("changes made").isGreaterThan(0);
            f.awaitEqual(job);
        }
    }

    @Test
    void aSavepointTakenWhileTheChangeStreamWaitsResumesWithEveryChange() throws Exception {
        String db = TestDatabases.freshName("fwd_savepoint");
        Random random = new Random(23);
        // No periodic checkpoint during the first run: the change stream cannot start before the savepoint.
        Fixture f = new Fixture(db, random, Duration.ofMinutes(10));
        Path savepoint;
        try (RunningPipeline job = LocalPipelineRunner.start(f.plan, TestDatabases.runOptions(checkpoints))) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> f.changeUntil(stop));
            awaitSnapshotWritten(db, job);
            stop.set(true);
            assertThat(writer.get()).as("changes made during the snapshot").isGreaterThan(0);
            // Row 1 was read long ago and no checkpoint has been taken: only the change stream could bring this change,
            // and without the wait it would (the test failed so, with the wait turned off).
            TestDatabases.mysql(db, "UPDATE customer SET note = 'marker' WHERE id = 1");
            Thread.sleep(8_000);
            assertThat(targetNote(db, 1)).as("the change stream started before a checkpoint").isNotEqualTo("marker");
            savepoint = job.stopWithSavepoint(checkpoints.resolve("savepoints"), Duration.ofMinutes(1));
        }
        Fixture resumed = new Fixture(f, Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(resumed.plan,
                TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> f.changeUntil(stop));
            Thread.sleep(3_000);
            stop.set(true);
            assertThat(writer.get()).as("changes made after the restore").isGreaterThan(0);
            resumed.awaitEqual(job);
            assertThat(targetNote(db, 1)).isEqualTo("marker");
        }
    }

    /** Waits until the target holds most rows and their count has not moved for two seconds: the snapshot is written. */
    private static void awaitSnapshotWritten(String db, RunningPipeline job) throws InterruptedException {
        long[] last = {-1, System.nanoTime()};
        await(Duration.ofMinutes(2), () -> {
            long count = CustomerTables.countPostgres(db, "customer");
            if (count != last[0]) {
                last[0] = count;
                last[1] = System.nanoTime();
            }
            return count >= ROWS * 9L / 10 && System.nanoTime() - last[1] > 2_000_000_000L;
        }, () -> CustomerTables.countPostgres(db, "customer") + " rows in the target", job);
    }

    private static String targetNote(String db, int id) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT note FROM customer WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** A MariaDB customer table of ROWS rows, its PostgreSQL target, and the pipeline between them at parallelism 2. */
    private static final class Fixture {
        final String db;
        final Random random;
        final DataSource mysql;
        final DataSource pg;
        final JobPlan plan;
        private int nextId = ROWS + 1;

        Fixture(String db, Random random, Duration checkpointInterval) throws Exception {
            this.db = db;
            this.random = random;
            this.mysql = TestDatabases.mysqlSource(db).option("snapshot.chunk-size", 500);
            this.pg = TestDatabases.postgresTarget(db);
            CustomerTables.createWithRows(db, ROWS, random);
            this.plan = plan(checkpointInterval);
        }

        /** The same tables, planned again with another checkpoint interval. */
        Fixture(Fixture first, Duration checkpointInterval) throws Exception {
            this.db = first.db;
            this.random = first.random;
            this.mysql = first.mysql;
            this.pg = first.pg;
            this.plan = plan(checkpointInterval);
        }

        private JobPlan plan(Duration checkpointInterval) {
            Pipeline pipeline = Pipeline.named("fwd-" + db).readFrom(mysql.table("customer")).writeTo(pg.table("customer"))
                    .parallelism(2).checkpointInterval(checkpointInterval);
            return JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        }

        /** Random inserts, updates and deletes (row 1 left alone, the last split's rows changed often) until told to stop. */
        int changeUntil(AtomicBoolean stop) {
            int changes = 0;
            try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
                while (!stop.get()) {
                    for (int i = 0; i < 20; i++, changes++) {
                        nextId = CustomerTables.randomChange(c, random, nextId, 2);
                    }
                    // The rows the snapshot reads last are the likeliest to race the change stream.
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("UPDATE customer SET note = CONCAT('late ', " + changes + ") WHERE id > " + (ROWS - 5)
                                + " AND id <= " + ROWS);
                    }
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return changes;
        }

        void awaitEqual(RunningPipeline job) throws Exception {
            Map<Integer, Map<String, String>> source = CustomerTables.readMariaDb(db);
            await(Duration.ofMinutes(2), () -> source.equals(CustomerTables.readPostgres(db, "customer")),
                    () -> "target has " + CustomerTables.readPostgres(db, "customer").size() + " rows, source " + source.size()
                            + "; differing ids: " + source.keySet().stream()
                            .filter(id -> !source.get(id).equals(CustomerTables.readPostgres(db, "customer").get(id)))
                            .limit(5).toList(), job);
        }
    }

    /** The names of the job graph's vertices: chained operators share one vertex, an exchange separates two. */
    static List<String> vertexNames(JobPlan plan) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkJobConfig.forPipeline(plan.pipeline().settings(), null));
        JobTranslator.translate(env, plan, SinkOptions.DEFAULTS);
        return StreamSupport.stream(env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
                .map(JobVertex::getName).toList();
    }
}
