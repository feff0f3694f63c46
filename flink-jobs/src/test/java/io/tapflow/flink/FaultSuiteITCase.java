package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PacedChangeLoad;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a running pipeline meets, each once, on real servers. The source is a MariaDB of this class's own, since
 * the faults purge its binlog: the shared one serves every other test.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class FaultSuiteITCase {
    private static final int INITIAL_ROWS = 2_000;
    private static final int PROTECTED_BELOW = 10;
    private static final int REFUSED_ID = 5;
    private static final int CHANGES_PER_SECOND = 2_000;
    private static final Duration LOAD_BEFORE_FAULT = Duration.ofSeconds(5);
    private static final Duration LOAD_AFTER_FAULT = Duration.ofSeconds(5);
    private static final Duration NETWORK_CUT = Duration.ofSeconds(20);
    private static final Duration TARGET_DOWN = Duration.ofSeconds(30);
    private static MariaDbServer mariaDb;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void startMariaDb() throws Exception {
        mariaDb = MariaDbServer.start(Files.createTempDirectory("fault-suite-mariadb"), true);
    }

    @AfterAll
    static void stopMariaDb() {
        if (mariaDb != null) {
            mariaDb.close();
        }
    }

    /**
     * The binlog a stopped job still needs is purged: resuming fails at once and says so, and what to do, rather than
     * restarting for ever or carrying on from a later position with the changes in between lost.
     */
    @Test
    void aPurgedBinlogFailsTheResumeAtOnceAndSaysToStartAfresh() throws Exception {
        String db = TestDatabases.freshName("purged");
        mariaDb.createDatabase(db);
        mysql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')");
        DataSource source = source(db);
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("purged").readFrom(source.table("items"))
                .writeTo(pg.table("items")).checkpointInterval(Duration.ofMillis(500)), source, pg));
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            mysql(db, "INSERT INTO items VALUES (2, 'live')");
            await(Duration.ofMinutes(1), () -> count(db + "_t") == 2, () -> "live change", job);
            long live = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints)
                    .map(p -> Checkpoints.completedAtMillis(p) > live + 1_000).orElse(false), () -> "checkpoint", job);
            job.cancel(Duration.ofSeconds(30));
        }
        mysql(db, "INSERT INTO items VALUES (3, 'while stopped')", "FLUSH BINARY LOGS");
        purgeAllButTheCurrentBinlog();

        long start = System.nanoTime();
        try (RunningPipeline resumed = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints)
                .withRestoreFrom(Checkpoints.latest(checkpoints).orElseThrow()))) {
            // A job that restarts instead of failing would keep awaitTermination waiting: give it a minute.
            await(Duration.ofMinutes(1), () -> resumed.status().isTerminalState(), () -> "the resumed job's failure");
            Throwable failure = catchThrowable(resumed::awaitTermination);
            System.out.printf("resume after the binlog was purged failed after %d ms: %s%n",
                    (System.nanoTime() - start) / 1_000_000, failure.getMessage());
            assertThat(failure).isInstanceOf(TapflowException.class);
            assertThat(failure.getMessage()).containsPattern("the binlog it stopped at \\(mysql-bin\\.\\d+ at position \\d+\\) was purged")
                    .contains("tapflow run --fresh");
        }
        assertThat(count(db + "_t")).as("nothing after the gap was written").isEqualTo(2);
    }

    /**
     * Under load, the target refuses one row (a CHECK constraint): with the dead_letter policy that row goes to the
     * dead-letter table and the rest flows. Verify then finds exactly that row different, and nothing else.
     */
    @Test
    void aRowTheTargetRefusesIsADeadLetterAndTheRestFlows() throws Exception {
        String db = TestDatabases.freshName("refused");
        String targetDb = db + "_t";
        DataSource source = itemsUnderLoad(db);
        DataSource pg = TestDatabases.postgresTarget(targetDb);
        TestDatabases.postgres(targetDb, "CREATE TABLE items (id int PRIMARY KEY, qty int CHECK (qty >= 0), note varchar(40))");
        JobSpec spec = JobSpec.of(Pipeline.named("refused").readFrom(source.table("items")).writeTo(pg.table("items"))
                .onError(ErrorPolicy.deadLetter(pg.table("errors"))).checkpointInterval(Duration.ofSeconds(1)), source, pg);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(1), () -> count(targetDb) >= INITIAL_ROWS, () -> "snapshot", job);
            try (PacedChangeLoad load = load(db)) {
                Thread.sleep(LOAD_BEFORE_FAULT.toMillis());
                mysql(db, "UPDATE items SET qty = -1 WHERE id = " + REFUSED_ID);
                long fault = System.nanoTime();
                await(Duration.ofMinutes(1), () -> PgRows.read(targetDb, "errors", "row_key").size() == 1,
                        () -> "dead letter", job);
                long routed = System.nanoTime();
                Thread.sleep(LOAD_AFTER_FAULT.toMillis());
                load.close();
                TableReport report = awaitVerified(spec, 1, job);
                System.out.printf("fault 'target refuses a row': dead-lettered %d ms after the change; target equal "
                        + "but for that row %d ms after the load stopped; load %.0f changes/s asked %d (%d changes)%n",
                        (routed - fault) / 1_000_000, (System.nanoTime() - routed) / 1_000_000 - LOAD_AFTER_FAULT.toMillis(),
                        load.achievedPerSecond(), CHANGES_PER_SECOND, load.changes());
                assertThat(report.different()).as("%s", report).isEqualTo(1);
                assertThat(report.examples().toString()).contains("id=" + REFUSED_ID);
            }
            List<Map<String, String>> letters = PgRows.read(targetDb, "errors", "row_key");
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.get("step")).isEqualTo("sink");
                assertThat(letter.get("row_key")).contains(String.valueOf(REFUSED_ID));
                assertThat(letter.get("error")).contains("items_qty_check");
            });
        }
    }

    /**
     * The source MariaDB restarts under load (down for as long as a stop and start take): the change reader reconnects
     * or the job restarts from its checkpoint, and continues at its binlog position.
     */
    @Test
    void theSourceRestartsUnderLoadAndThePipelineResumesFromItsBinlogPosition() throws Exception {
        String db = TestDatabases.freshName("srcrestart");
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        runsThrough("the source MariaDB restarts", itemsUnderLoad(db), pg, SharedServers.postgres(), db, () -> mariaDb.restart());
    }

    /**
     * The target PostgreSQL is shut down for 30 s under load (its process stops; a PostgreSQL of this test's own, so
     * the shared one keeps serving the others) and started again on its port and data: the job fails its writes,
     * restarts by the default policy until the server is back, and replays from its last checkpoint.
     */
    @Test
    void theTargetIsStoppedFor30SecondsUnderLoad() throws Exception {
        String db = TestDatabases.freshName("tgtstop");
        try (PostgresServer target = PostgresServer.start(Files.createTempDirectory("fault-suite-postgres"))) {
            target.createDatabase(db + "_t");
            DataSource pg = DataSource.of("postgres", "pg-" + db).host(target.host()).port(target.port())
                    .username(target.user()).password(target.password()).database(db + "_t");
            runsThrough("the target PostgreSQL is stopped for 30 s", itemsUnderLoad(db), pg, target, db, () -> {
                target.shutDown();
                Thread.sleep(TARGET_DOWN.toMillis());
                target.startAgain();
            });
        }
    }

    /** The network to the target drops every packet for 20 s (a proxy the test controls), under load. */
    @Test
    void theNetworkToTheTargetDropsFor20SecondsUnderLoad() throws Exception {
        String db = TestDatabases.freshName("netcut");
        DataSource direct = TestDatabases.postgresTarget(db + "_t");
        try (NetworkCutProxy proxy = new NetworkCutProxy(direct.get("host"), direct.getInt("port"))) {
            DataSource viaProxy = direct.option("host", "127.0.0.1").option("port", proxy.port());
            runsThrough("the network to the target drops for 20 s", itemsUnderLoad(db), viaProxy, SharedServers.postgres(), db, () -> {
                proxy.cut(true);
                Thread.sleep(NETWORK_CUT.toMillis());
                proxy.cut(false);
            });
        }
    }

    /** What happens to the system once; returns when the fault is over. */
    interface Fault {
        void happen() throws Exception;
    }

    /**
     * Replicates items under load, lets the fault happen once, then checks that a change made right after the fault
     * arrives (the time to recover, printed), that the target equals the source row for row once the load stops, and
     * that it holds every change the load committed (its model of the rows: each change's sequence number, each update
     * counted in qty).
     */
    private void runsThrough(String fault, DataSource source, DataSource pg, PostgresServer target, String db, Fault happen)
            throws Exception {
        String targetDb = db + "_t";
        JobSpec spec = JobSpec.of(Pipeline.named(db).readFrom(source.table("items")).writeTo(pg.table("items"))
                .checkpointInterval(Duration.ofSeconds(1)), source, pg);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(1), () -> count(target, targetDb) >= INITIAL_ROWS, () -> "snapshot", job);
            try (PacedChangeLoad load = load(db)) {
                Thread.sleep(LOAD_BEFORE_FAULT.toMillis());
                long start = System.nanoTime();
                happen.happen();
                long over = System.nanoTime();
                // Ids below PROTECTED_BELOW are the load's to leave alone: this change arrives after everything before it.
                mysql(db, "UPDATE items SET note = 'after the fault' WHERE id = 1");
                await(Duration.ofMinutes(3), () -> "after the fault".equals(note(target, targetDb, 1)),
                        () -> "the change after the fault", job);
                long recovered = System.nanoTime();
                Thread.sleep(LOAD_AFTER_FAULT.toMillis());
                load.close();
                long stopped = System.nanoTime();
                TableReport report = awaitVerified(spec, 0, job);
                System.out.printf("fault '%s': lasted %d ms; a change made when it was over arrived %d ms later; target "
                        + "equal to the source (verify rows: %d rows, 0 different) %d ms after the load stopped; load "
                        + "%.0f changes/s (asked %d; %d changes, %d failed transactions retried); %s%n", fault,
                        (over - start) / 1_000_000, (recovered - over) / 1_000_000, report.sourceRows(),
                        (System.nanoTime() - stopped) / 1_000_000, load.achievedPerSecond(), CHANGES_PER_SECOND,
                        load.changes(), load.failedTransactions(), accountFor(load, target, targetDb));
                assertThat(report.equal()).as("%s", report).isTrue();
            }
        }
    }

    /**
     * Compares the target's rows of the load with the load's own record of what it committed; says how many rows held
     * how many changes. Only a commit that broke off with its outcome unknown (the source restarting during COMMIT)
     * leaves nothing to compare with, and the line says so: verify's comparison with the source still holds then.
     */
    private static String accountFor(PacedChangeLoad load, PostgresServer target, String targetDb) throws SQLException {
        if (!load.outcomesKnown()) {
            return "a commit of the load broke off with its outcome unknown, so only verify's comparison with the source applies";
        }
        Map<Integer, String> expected = load.expectedRows();
        Map<Integer, String> actual;
        try (Connection c = target.connect(targetDb)) {
            actual = PacedChangeLoad.rows(c, PROTECTED_BELOW);
        }
        assertThat(actual).as("the target's rows against every change the load committed").isEqualTo(expected);
        return String.format("every committed change accounted for: the target's %d rows of the load equal its record",
                actual.size());
    }

    private static String note(PostgresServer target, String db, int id) {
        try (Connection c = target.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM items WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The source table items with its first rows; the load changes it from ids above the protected ones. */
    private static DataSource itemsUnderLoad(String db) throws SQLException {
        mariaDb.createDatabase(db);
        mysql(db, PacedChangeLoad.DDL,
                "INSERT INTO items SELECT seq, 1, 'initial' FROM seq_1_to_" + INITIAL_ROWS);
        return source(db);
    }

    private static PacedChangeLoad load(String db) throws SQLException {
        return new PacedChangeLoad(() -> mariaDb.connectAsAdmin(db), CHANGES_PER_SECOND, PROTECTED_BELOW, INITIAL_ROWS + 1);
    }

    /**
     * Verifies the target (rows mode) until it differs from the source in {@code expected} rows only; the pipeline
     * may still be catching up with the load, so a difference is only final after the timeout.
     */
    private static TableReport awaitVerified(JobSpec spec, long expected, RunningPipeline job) throws Exception {
        TableReport[] last = new TableReport[1];
        await(Duration.ofMinutes(2), () -> {
            last[0] = Verifier.verify(spec, VerifyOptions.rows()).tables().get(0);
            return last[0].missing() + last[0].extra() + last[0].different() + last[0].changing() == expected;
        }, () -> "verify: " + last[0], job);
        return last[0];
    }

    /** MariaDB keeps a binlog a dump thread still reads (the stopped job's may linger a moment): purge until gone. */
    private static void purgeAllButTheCurrentBinlog() throws Exception {
        String current = binlogs().get(binlogs().size() - 1);
        for (int attempt = 0; binlogs().size() > 1; attempt++) {
            assertThat(attempt).as("binlogs still there: %s", binlogs()).isLessThan(50);
            mysql("", "PURGE BINARY LOGS TO '" + current + "'");
            Thread.sleep(200);
        }
    }

    private static List<String> binlogs() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = mariaDb.connectAsAdmin(""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static DataSource source(String db) {
        return DataSource.of("mysql", "src-" + db).host(mariaDb.host()).port(mariaDb.port())
                .username(mariaDb.cdcUser()).password(mariaDb.cdcPassword()).database(db);
    }

    private static void mysql(String db, String... statements) throws SQLException {
        try (Connection c = mariaDb.connectAsAdmin(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static long count(String db) {
        return count(SharedServers.postgres(), db);
    }

    private static long count(PostgresServer target, String db) {
        try (Connection c = target.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // the table is created when the job starts
        }
    }
}
