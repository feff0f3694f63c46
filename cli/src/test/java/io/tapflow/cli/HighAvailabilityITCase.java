package io.tapflow.cli;

import io.tapflow.cli.catalog.Catalog;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.cluster.LocalFlinkCluster;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.FreePorts;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PacedChangeLoad;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow cluster start --ha}: two JobManagers with ZooKeeper leader election. The leading JobManager is killed
 * with SIGKILL while a load changes the MariaDB source at 2,000 changes/s; the standby takes the job over (same job id,
 * not resubmitted), and at the end the target equals the source row for row and holds every change the load
 * committed. The CLI, given no URL, finds the JobManager that answers.
 */
class HighAvailabilityITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INITIAL_ROWS = 2_000;
    private static final int PROTECTED_BELOW = 10;
    private static final int CHANGES_PER_SECOND = 2_000;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void theStandbyTakesTheJobOverWhenTheLeaderIsKilledUnderLoad() throws Exception {
        MariaDbServer mariaDb = SharedServers.mariaDb();
        PostgresServer pg = SharedServers.postgres();
        String db = "ha_src_" + ProcessHandle.current().pid();
        mariaDb.createDatabase(db);
        pg.createDatabase(db + "_t");
        // No passwords: tapflow refuses to ship a literal one to a cluster, and the cluster's processes, started by this
        // JVM, have no password variable to resolve. The build's MariaDB root and PostgreSQL need none from 127.0.0.1.
        assertThat(mariaDb.adminPassword()).as("this test needs a MariaDB admin without a password").isEmpty();
        Catalog catalog = new Catalog(cli.home());
        catalog.save(DataSource.of("mysql", "src").host(mariaDb.host()).port(mariaDb.port()).username(mariaDb.adminUser())
                .database(db));
        catalog.save(DataSource.of("postgres", "dst").host(pg.host()).port(pg.port()).username(pg.user()).database(db + "_t"));
        mysql(mariaDb, db, PacedChangeLoad.DDL, "INSERT INTO items SELECT seq, 1, 'initial' FROM seq_1_to_" + INITIAL_ROWS);
        Path file = Files.writeString(cli.home().resolve("items.json"), """
                {"name": "ha-items", "sources": [{"datasource": "src", "tables": ["items"]}],
                 "target": {"datasource": "dst", "table": "items"}, "settings": {"checkpointIntervalMs": 500}}
                """);
        int port = FreePorts.pickConsecutive(2); // the standby JobManager listens on port + 1
        assertThat(cli.run("cluster", "start", "--ha", "--port", String.valueOf(port), "--slots", "2")).as(cli.err()).isZero();
        try {
            assertThat(cli.out()).contains("http://localhost:" + port, "http://localhost:" + (port + 1) + " (highly available)");
            assertThat(cli.run("start", file.toString())).as(cli.err()).isZero();
            await(Duration.ofMinutes(2), () -> targetRows(db).size() == INITIAL_ROWS, () -> "snapshot in the target");
            await(Duration.ofMinutes(1), () -> status().path("lastCheckpoint").path("id").asLong() >= 2, () -> "checkpoints");
            String jobId = status().path("id").asText();

            Path logs = cli.home().resolve("cluster").resolve("log");
            OptionalInt leader = LocalFlinkCluster.leadingJobManager(logs, 2);
            assertThat(leader).as("a JobManager leads").isPresent();
            ProcessHandle leading = jobManagerProcess(logs, LocalFlinkCluster.jobManagerName(leader.getAsInt()));
            Map<Integer, String> expected;
            String recovery;
            try (PacedChangeLoad load = new PacedChangeLoad(() -> mariaDb.connectAsAdmin(db), CHANGES_PER_SECOND,
                    PROTECTED_BELOW, INITIAL_ROWS + 1)) {
                Thread.sleep(3_000);
                long killedAt = System.nanoTime();
                leading.destroyForcibly();
                leading.onExit().get();
                mysql(mariaDb, db, "UPDATE items SET note = 'after the leader died' WHERE id = 2");

                // The TaskManager notices the lost leader by its heartbeat and cancels its tasks; the standby wins the
                // election, recovers the job from the shared job store and its latest checkpoint, and runs it again.
                int standby = 1 - leader.getAsInt();
                await(Duration.ofMinutes(2), () -> LocalFlinkCluster.leadingJobManager(logs, 2).equals(OptionalInt.of(standby)),
                        () -> "the standby to win the election");
                long tookOver = System.nanoTime();
                await(Duration.ofMinutes(2), () -> "RUNNING".equals(status().path("state").asText())
                        && jobId.equals(status().path("id").asText()), () -> "the job running again");
                await(Duration.ofMinutes(2), () -> "1|after the leader died".equals(targetRows(db).get(2)),
                        () -> "the change made after the leader died");
                long delivered = System.nanoTime();
                Thread.sleep(3_000);
                load.close();
                expected = load.expectedRows();
                recovery = String.format("the standby led after %d s, the job ran again and delivered the change made after the "
                        + "kill %d s after it; load %.0f changes/s (asked %d; %d changes)", (tookOver - killedAt) / 1_000_000_000,
                        (delivered - killedAt) / 1_000_000_000, load.achievedPerSecond(), CHANGES_PER_SECOND, load.changes());
            }
            Map<Integer, String> source = sourceRows(mariaDb, db);
            long stopped = System.nanoTime();
            await(Duration.ofMinutes(2), () -> targetRows(db).equals(source),
                    () -> "target equal to source: " + targetRows(db).size() + " vs " + source.size() + " rows");
            Map<Integer, String> loadRows = new TreeMap<>(targetRows(db));
            loadRows.keySet().removeIf(id -> id < PROTECTED_BELOW);
            assertThat(loadRows).as("the target against every change the load committed").isEqualTo(expected);
            System.out.printf("leading JobManager killed under load: %s; target equal to the source (%d rows, every committed "
                    + "change accounted for) %d ms after the load stopped%n", recovery, source.size(),
                    (System.nanoTime() - stopped) / 1_000_000);
            JsonNode after = status();
            assertThat(after.path("id").asText()).as("the same job, not resubmitted").isEqualTo(jobId);
            assertThat(after.path("state").asText()).isEqualTo("RUNNING");
            assertThat(cli.run("cluster", "status")).as(cli.err()).isZero();
            int standby = 1 - leader.getAsInt();
            assertThat(cli.out()).contains("the leading JobManager is the one at http://localhost:" + (port + standby));
        } finally {
            cli.run("cluster", "stop");
        }
    }

    /** The JobManager process writing this log, found by its command line (read whole from /proc: it is long). */
    private static ProcessHandle jobManagerProcess(Path logs, String name) {
        String logFlag = "-Dlog.file=" + logs.resolve(name + ".log");
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).contains(logFlag + "\0");
            } catch (java.io.IOException | java.io.UncheckedIOException gone) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no process with " + logFlag));
    }

    private JsonNode status() {
        if (cli.run("status", "ha-items", "--json") != 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(cli.out());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", timeout, what.get()).isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    private static Map<Integer, String> targetRows(String db) {
        try (Connection c = SharedServers.postgres().connect(db + "_t")) {
            return PacedChangeLoad.rows(c, 0);
        } catch (SQLException e) {
            return Map.of(); // the table is created when the job starts
        }
    }

    private static Map<Integer, String> sourceRows(MariaDbServer mariaDb, String db) throws SQLException {
        try (Connection c = mariaDb.connectAsAdmin(db)) {
            return PacedChangeLoad.rows(c, 0);
        }
    }

    private static void mysql(MariaDbServer mariaDb, String db, String... statements) throws SQLException {
        try (Connection c = mariaDb.connectAsAdmin(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
