package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.MariaDbServer;
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
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultSuiteITCase {
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
            assertThat(failure.getMessage()).contains("(mysql-bin.000001 at position ", "was purged", "tapflow run --fresh");
        }
        assertThat(count(db + "_t")).as("nothing after the gap was written").isEqualTo(2);
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
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // the table is created when the job starts
        }
    }
}
