package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.JobEvents;
import io.tapflow.cli.flink.JobSnapshot;
import io.tapflow.cli.flink.JobSnapshots;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default restart policy (exponential, 1 s doubling up to 1 min, no limit on attempts) rides out a target outage
 * that the old policy (3 restarts, 2 s apart) did not survive: the target database refuses every connection for 25 s,
 * the job keeps restarting, {@code status} says it waits to restart, why and when it tries next, {@code logs} gives
 * each restart's delay, and once the target is back the change made during the outage arrives.
 */
class RestartOutageITCase {
    private static final Duration OUTAGE = Duration.ofSeconds(25);

    @TempDir
    Path checkpoints;

    @Test
    void aTargetOutageOfHalfAMinuteIsRiddenOut() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        String src = "outage_src_" + ProcessHandle.current().pid();
        String dst = "outage_dst_" + ProcessHandle.current().pid();
        pg.createDatabase(src);
        pg.createDatabase(dst);
        DataSource source = DataSource.of("postgres", "outage-src").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(src);
        DataSource target = DataSource.of("postgres", "outage-dst").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(dst);
        execute(src, "CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a')");
        Pipeline pipeline = Pipeline.named("outage").readFrom(source.table("items")).writeTo(target.table("items"))
                .checkpointInterval(Duration.ofMillis(500));
        int port = freePort();
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                new LocalRunOptions(checkpoints, port, null, SinkOptions.DEFAULTS))) {
            FlinkRestClient flink = new FlinkRestClient("http://localhost:" + port);
            String jobId = job.jobId().toHexString();
            await(Duration.ofMinutes(2), () -> "a".equals(name(dst)));
            Thread.sleep(2_000); // a checkpoint after the snapshot

            long start = System.nanoTime();
            execute("postgres", "ALTER DATABASE " + dst + " ALLOW_CONNECTIONS false");
            execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + dst + "'");
            execute(src, "UPDATE items SET name = 'during the outage' WHERE id = 1");
            String waiting = null;
            while (System.nanoTime() - start < OUTAGE.toNanos()) {
                JobSnapshot s = JobSnapshots.take(flink, jobId);
                if (s.restartOutlook() != null && s.restarts() >= 3) {
                    waiting = s.restartOutlook();
                }
                Thread.sleep(500);
            }
            assertThat(waiting).as("status while the target is down").isNotNull()
                    .matches("waiting to restart \\(restart \\d+, exponential 1 s → 60 s\\): next attempt in about \\d+ s, after: .+");
            execute("postgres", "ALTER DATABASE " + dst + " ALLOW_CONNECTIONS true");

            await(Duration.ofMinutes(2), () -> "during the outage".equals(name(dst)));
            System.out.printf("target down for %d s: the job restarted %d times and delivered the change %d s after the outage began%n",
                    OUTAGE.toSeconds(), JobSnapshots.take(flink, jobId).restarts(), (System.nanoTime() - start) / 1_000_000_000);
            assertThat(JobSnapshots.take(flink, jobId).restarts()).isGreaterThan(3);
            JobEvents.Event restartIn4 = JobEvents.read(flink, jobId).stream()
                    .filter(e -> e.message().contains("(the job restarts in 4 s)")).findFirst().orElseThrow();
            System.out.println("status said: " + waiting + "\nlogs said: " + restartIn4.message());
        } finally {
            execute("postgres", "ALTER DATABASE " + dst + " ALLOW_CONNECTIONS true");
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String name(String db) {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM items WHERE id = 1")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // not created yet, or the outage
        }
    }

    private static void execute(String db, String... statements) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
