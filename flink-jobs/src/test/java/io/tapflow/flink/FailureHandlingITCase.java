package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.apache.flink.util.ExceptionUtils;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures that come back after every restart fail the job at once, with their message: a write the target rejects
 * for its data (PostgreSQL: in the snapshot's bulk insert and on the change stream; MongoDB, here the emulator: a
 * unique index) and a source value that cannot be converted.
 * Flink's "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy" in the failure would mean it restarted
 * the job until its attempts were used up. A lost connection, which may heal, still restarts the job.
 */
// A job that does not fail as expected would otherwise keep awaitTermination waiting for ever.
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailureHandlingITCase {
    @TempDir
    Path checkpoints;

    @Test
    void aSnapshotRowTheTargetRejectsFailsTheJobWithoutRestarts() throws Exception {
        String db = TestDatabases.freshName("fatalsnap");
        // Enough rows that the batch with the refused one is written while the snapshot still runs: a failure at the
        // moment Flink's HybridSource switches to the change stream meets a Flink race (see README, Guarantees).
        DataSource source = itemsTable(db, "INSERT INTO items SELECT seq, IF(seq = 1, 'far too long', 'ok') FROM seq_1_to_50000");
        Throwable failure = runUntilFailed(db, source, () -> { });
        // The batch is written again row by row, so the failure names the one row refused, not the batch's first.
        assertFailedAtOnce(failure, "target refused row {id=1} of " + db + ".items (to items): ",
                "value too long for type character varying(3)");
    }

    @Test
    void aChangeTheTargetRejectsFailsTheJobWithoutRestarts() throws Exception {
        String db = TestDatabases.freshName("fatalchange");
        DataSource source = itemsTable(db, "INSERT INTO items VALUES (1, 'ok')");
        Throwable failure = runUntilFailed(db, source,
                () -> TestDatabases.mysql(db, "INSERT INTO items VALUES (2, 'far too long')"));
        assertFailedAtOnce(failure, "target refused row {id=2} of " + db + ".items (to items): ",
                "value too long for type character varying(3)");
    }

    @Test
    void aSourceValueThatCannotBeConvertedFailsTheJobWithoutRestarts() throws Exception {
        String db = TestDatabases.freshName("fatalvalue");
        // zero-date=error: the value rule refuses what no target can hold (the default writes NULL, see ZeroDateRuleITCase).
        DataSource source = TestDatabases.mysqlSource(db).option("zero-date", "error");
        // MariaDB's default sql_mode allows a zero month; no calendar has one.
        TestDatabases.mysql(db, "CREATE TABLE events (id INT PRIMARY KEY, at DATETIME)",
                "INSERT INTO events VALUES (1, '2020-00-15 10:00:00')");
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(Pipeline.named("fatal-value")
                .readFrom(source.table("events")).writeTo(pg.table("events")), source, pg)), TestDatabases.runOptions(checkpoints))) {
            assertFailedAtOnce(catchThrowable(job::awaitTermination), db + ".events");
        }
    }

    @Test
    void aLostTargetConnectionRestartsTheJobWhichCarriesOn() throws Exception {
        String db = TestDatabases.freshName("lostconn");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')");
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(Pipeline.named("lost-connection")
                .readFrom(source.table("items")).writeTo(pg.table("items")).checkpointInterval(Duration.ofMillis(500)),
                source, pg)), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(1), () -> rowCount(db + "_t") == 1, () -> "snapshot row", job);
            // A failure on the change stream after a checkpoint taken there (the failure right after the hand-over to
            // the change stream, before such a checkpoint: aFailureRightAfterTheHandOverToTheBinlog...).
            TestDatabases.mysql(db, "INSERT INTO items VALUES (10, 'live')");
            await(Duration.ofMinutes(1), () -> rowCount(db + "_t") == 2, () -> "live change", job);
            long live = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> completedCheckpointAfter(live + 1_000), () -> "checkpoint", job);
            // The sink's connection goes away, as when the server restarts: the next write fails and the job restarts.
            TestDatabases.postgres(db + "_t", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND application_name = 'tapflow' AND pid <> pg_backend_pid()");
            TestDatabases.mysql(db, "INSERT INTO items VALUES (2, 'b')");
            await(Duration.ofMinutes(1), () -> rowCount(db + "_t") == 3, () -> "the change after the lost connection", job);
        }
    }

    /**
     * A failure after the snapshot handed over to the binlog reader but before the next checkpoint: Flink restores the
     * readers from the checkpoint before the hand-over and keeps the switched enumerator. Two readers, so the hand-over
     * waits for a checkpoint (StreamStartGate) and the next one is a whole interval later: the lost connection falls
     * in between. The job restarts whole (the log says so) and carries on with every row.
     */
    @Test
    void aFailureRightAfterTheHandOverToTheBinlogRestartsTheJobWhichCarriesOn() throws Exception {
        String db = TestDatabases.freshName("handover");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')");
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.source.mysql.MySqlBinlogSource"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(Pipeline.named("hand-over")
                .readFrom(source.table("items")).writeTo(pg.table("items")).parallelism(2)
                .checkpointInterval(Duration.ofSeconds(20)), source, pg)), TestDatabases.runOptions(checkpoints))) {
            // A change made after the snapshot row arrived is read from the binlog: once in the target, the hand-over is done.
            await(Duration.ofMinutes(1), () -> rowCount(db + "_t") == 1, () -> "snapshot row", job);
            TestDatabases.mysql(db, "INSERT INTO items VALUES (10, 'live')");
            await(Duration.ofMinutes(1), () -> rowCount(db + "_t") == 2, () -> "snapshot row and live change", job);
            TestDatabases.postgres(db + "_t", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND application_name = 'tapflow' AND pid <> pg_backend_pid()");
            TestDatabases.mysql(db, "INSERT INTO items VALUES (2, 'b')");
            await(Duration.ofMinutes(2), () -> rowCount(db + "_t") == 3, () -> "the change after the failure", job);
            assertThat(log.text()).as("the failure fell between the hand-over and the next checkpoint")
                    .contains("restarted in the snapshot phase after the hand-over to the binlog");
            TestDatabases.mysql(db, "UPDATE items SET name = 'c' WHERE id = 1");
            await(Duration.ofMinutes(1), () -> PgRows.read(db + "_t", "items", "id").equals(MariaDbRows.read(db, "items")),
                    () -> "target equal to the source: " + PgRows.read(db + "_t", "items", "id"), job);
        }
    }

    /** MongoDB refuses a document for its data (here a unique index on name, in the emulator): fatal too. */
    @Test
    void aDocumentMongoDbRejectsFailsTheJobWithoutRestarts() throws Exception {
        String db = TestDatabases.freshName("fatalmongo");
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO items VALUES (1, 'same')");
        DataSource mongo = TestDatabases.mongoTarget(db);
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            MongoCollection<Document> items = client.getDatabase(db).getCollection("items");
            items.createIndex(new Document("name", 1), new IndexOptions().unique(true));
            try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(Pipeline.named("fatal-mongo")
                    .readFrom(source.table("items")).writeTo(mongo.table("items")), source, mongo)), TestDatabases.runOptions(checkpoints))) {
                await(Duration.ofMinutes(1), () -> items.countDocuments() > 0, () -> "first document", job);
                TestDatabases.mysql(db, "INSERT INTO items VALUES (2, 'same')");
                assertFailedAtOnce(catchThrowable(job::awaitTermination), "changes to collection items of datasource '"
                        + mongo.name() + "' failed: ");
            }
        }
    }

    /** A source table items(id, name varchar(20)) with its rows, and a target table whose name column takes 3 characters. */
    private static DataSource itemsTable(String db, String rows) throws Exception {
        DataSource source = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))", rows);
        TestDatabases.postgresTarget(db + "_t");
        TestDatabases.postgres(db + "_t", "CREATE TABLE items (id int PRIMARY KEY, name varchar(3))");
        return source;
    }

    /** Runs items → the target until the first row arrived, makes the change, and returns how the job failed. */
    private Throwable runUntilFailed(String db, DataSource source, SourceChange change) throws Exception {
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        Pipeline pipeline = Pipeline.named("fatal").readFrom(source.table("items")).writeTo(pg.table("items"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, pg)),
                TestDatabases.runOptions(checkpoints))) {
            // Not handed the job: a job that already failed (the refused row may be in the first batch) is the result.
            await(Duration.ofMinutes(1), () -> rowCount(db + "_t") > 0 || job.status().isTerminalState(), () -> "first row");
            change.run();
            return catchThrowable(job::awaitTermination);
        }
    }

    private static void assertFailedAtOnce(Throwable failure, String... messageParts) {
        assertThat(failure).isInstanceOf(TapflowException.class);
        for (String part : messageParts) {
            assertThat(failure.getMessage()).contains(part);
        }
        assertThat(ThrowableClassifier.findThrowableOfThrowableType(failure, ThrowableType.NonRecoverableError))
                .as("restarts suppressed").isPresent();
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "Recovery is suppressed by")).as("restarted").isEmpty();
    }

    private boolean completedCheckpointAfter(long millis) {
        return Checkpoints.latest(checkpoints).map(p -> Checkpoints.completedAtMillis(p) > millis).orElse(false);
    }

    private static long rowCount(String db) {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A change to the source. */
    interface SourceChange {
        void run() throws Exception;
    }
}
