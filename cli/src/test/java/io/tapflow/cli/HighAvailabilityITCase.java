package io.tapflow.cli;

import io.tapflow.cli.catalog.Catalog;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.cluster.LocalFlinkCluster;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.FreePorts;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow cluster start --ha}: two JobManagers with ZooKeeper leader election. The leading JobManager is killed
 * with SIGKILL while a pipeline runs; the standby takes the job over (same job id, not resubmitted), the change made
 * meanwhile arrives, and the CLI, given no URL, finds the JobManager that answers.
 */
class HighAvailabilityITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void theStandbyTakesTheJobOverWhenTheLeaderIsKilled() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        String db = "ha_src_" + ProcessHandle.current().pid();
        pg.createDatabase(db);
        pg.createDatabase(db + "_t");
        // No password: tapflow refuses to ship a literal one to a cluster, and the build's PostgreSQL trusts local
        // connections (the cluster's processes are started by this JVM, which has no password variable to give them).
        Catalog catalog = new Catalog(cli.home());
        catalog.save(DataSource.of("postgres", "src").host(pg.host()).port(pg.port()).username(pg.user()).database(db));
        catalog.save(DataSource.of("postgres", "dst").host(pg.host()).port(pg.port()).username(pg.user()).database(db + "_t"));
        execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        Path file = Files.writeString(cli.home().resolve("items.json"), """
                {"name": "ha-items", "sources": [{"datasource": "src", "tables": ["items"]}],
                 "target": {"datasource": "dst", "table": "items"}, "settings": {"checkpointIntervalMs": 500}}
                """);
        int port = FreePorts.pick();
        assertThat(cli.run("cluster", "start", "--ha", "--port", String.valueOf(port), "--slots", "2")).as(cli.err()).isZero();
        try {
            assertThat(cli.out()).contains("http://localhost:" + port, "http://localhost:" + (port + 1) + " (highly available)");
            assertThat(cli.run("start", file.toString())).as(cli.err()).isZero();
            await(Duration.ofMinutes(2), () -> "b".equals(name(db, 2)), () -> "snapshot in the target");
            await(Duration.ofMinutes(1), () -> status().path("lastCheckpoint").path("id").asLong() >= 2, () -> "checkpoints");
            String jobId = status().path("id").asText();

            Path logs = cli.home().resolve("cluster").resolve("log");
            OptionalInt leader = LocalFlinkCluster.leadingJobManager(logs, 2);
            assertThat(leader).as("a JobManager leads").isPresent();
            ProcessHandle leading = jobManagerProcess(logs, LocalFlinkCluster.jobManagerName(leader.getAsInt()));
            long killedAt = System.nanoTime();
            leading.destroyForcibly();
            leading.onExit().get();
            execute(db, "UPDATE items SET name = 'after the leader died' WHERE id = 2");

            // The TaskManager notices the lost leader by its heartbeat and cancels its tasks; the standby wins the
            // election, recovers the job from the shared job store and its latest checkpoint, and runs it again.
            int standby = 1 - leader.getAsInt();
            await(Duration.ofMinutes(2), () -> LocalFlinkCluster.leadingJobManager(logs, 2).equals(OptionalInt.of(standby)),
                    () -> "the standby to win the election");
            long tookOver = System.nanoTime();
            await(Duration.ofMinutes(2), () -> "RUNNING".equals(status().path("state").asText())
                    && status().path("restarts").asLong() >= 0 && jobId.equals(status().path("id").asText()), () -> "the job running again");
            execute(db, "INSERT INTO items VALUES (3, 'under the new leader')");
            await(Duration.ofMinutes(2), () -> "after the leader died".equals(name(db, 2)) && "under the new leader".equals(name(db, 3)),
                    () -> "the changes made after the leader died");
            System.out.printf("leading JobManager killed: the standby led after %d s, the job ran again and delivered a new change %d s"
                    + " after the kill%n", (tookOver - killedAt) / 1_000_000_000, (System.nanoTime() - killedAt) / 1_000_000_000);
            JsonNode after = status();
            assertThat(after.path("id").asText()).as("the same job, not resubmitted").isEqualTo(jobId);
            assertThat(after.path("state").asText()).isEqualTo("RUNNING");
            assertThat(cli.run("cluster", "status")).as(cli.err()).isZero();
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

    private static String name(String db, int id) {
        try (Connection c = SharedServers.postgres().connect(db + "_t"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM items WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private static void execute(String db, String... statements) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
