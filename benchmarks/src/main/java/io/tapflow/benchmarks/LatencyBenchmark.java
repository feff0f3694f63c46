package io.tapflow.benchmarks;

import io.tapflow.servers.Directories;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Change latency, MariaDB → PostgreSQL: after the snapshot of a small table, writer threads commit single-row inserts
 * and updates at a steady rate, each row carrying {@code client_ts}, the wall-clock milliseconds just before its
 * autocommit statement ran. In PostgreSQL a deferred constraint trigger on the target table logs every row tapflow
 * writes with {@code clock_timestamp()} at the sink's COMMIT (deferred triggers run as the transaction commits), so
 * {@code arrived_at − client_ts} is the time from the source commit until the change is committed in the target.
 * Same machine, same clock. A change replaced by a later change to the same key in the same sink batch is never
 * written on its own and is not measured; the report says how many changes were measured.
 *
 * <p>Settings ({@code --name=value} or {@code -Dbench.name=value}): rates ("1000,5000" changes/s), warmupSeconds (5),
 * measureSeconds (30), writers (8 connections), rows (20000 snapshot rows), insertPercent (30; the rest are updates
 * of random snapshot rows), workDir (target/bench).
 */
public final class LatencyBenchmark {
    private static final String TABLE = ChangeLoad.TABLE;

    private final BenchConfig config;
    private final int rows;
    private final List<String> report = new ArrayList<>();
    private MariaDbServer mariaDb;
    private PostgresServer postgres;
    private ChangeLoad load;

    private LatencyBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 20_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("LatencyBenchmark", config);
        Bench.runAndExit(() -> new LatencyBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        RunningPipeline job = null;
        Path checkpoints = work.resolve("checkpoints").resolve("latency");
        try {
            Bench.log("starting MariaDB (binlog on) and PostgreSQL under " + work);
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            postgres = PostgresServer.start(work.resolve("postgres"));
            load = new ChangeLoad(mariaDb, rows);
            Bench.log("MariaDB on port " + mariaDb.port() + ", PostgreSQL on port " + postgres.port());
            setUpSource();

            DataSource mysql = Bench.mysqlSource(mariaDb);
            DataSource pg = Bench.postgresTarget(postgres);
            Pipeline pipeline = Pipeline.named("latency").readFrom(mysql.table(TABLE)).writeTo(pg.table(TABLE));
            JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
            setUpArrivalLog();
            Bench.log("starting the pipeline (parallelism 1, poll-interval-ms " + mysql.resolved().get("poll-interval-ms")
                    + ", sink batch " + SinkOptions.DEFAULTS.batchSize() + " / flush " + SinkOptions.DEFAULTS.flushIntervalMs() + " ms)");
            job = LocalPipelineRunner.start(plan, new LocalRunOptions(checkpoints, -1, null, SinkOptions.DEFAULTS));
            try (Connection c = postgres.connect(Bench.DATABASE)) {
                long t0 = System.nanoTime();
                long t = Bench.await(300_000, 200, () -> Bench.queryLong(c, "SELECT count(*) FROM " + TABLE) >= rows, job, "the snapshot");
                Bench.log(String.format("snapshot of %,d rows in the target after %.1f s", rows, (t - t0) / 1e9));
                // One change through the binlog proves the pipeline has switched to streaming.
                long probe = System.currentTimeMillis();
                load.probe(probe);
                Bench.await(120_000, 50, () -> Bench.queryLong(c, "SELECT count(*) FROM arrivals WHERE client_ts = " + probe) > 0,
                        job, "the first streamed change");
                Bench.log("streaming: a probe change arrived");
            }
            for (int rate : config.integers("rates", "1000,5000")) {
                phase(job, rate);
            }
            System.out.println();
            System.out.println("Change latency MariaDB 10.11 → tapflow (Flink 1.20, parallelism 1) → PostgreSQL 14, source commit to target commit");
            System.out.println(ChangeLoad.header());
            report.forEach(System.out::println);
        } finally {
            if (job != null) {
                try {
                    job.cancel(Duration.ofSeconds(60));
                } catch (RuntimeException e) {
                    System.err.println("could not cancel the pipeline: " + e);
                }
            }
            Bench.log("stopping servers");
            Bench.closeQuietly(mariaDb, postgres);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    private void setUpSource() throws SQLException {
        mariaDb.createDatabase(Bench.DATABASE);
        postgres.createDatabase(Bench.DATABASE);
        load.createTable();
    }

    /**
     * The target table was created by planning; its trigger logs each row as the sink's transaction commits. A
     * deferred constraint trigger is the latest point a transaction can observe: it fires inside COMMIT.
     */
    private void setUpArrivalLog() throws SQLException {
        try (Connection c = postgres.connect(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE arrivals (id int NOT NULL, client_ts bigint NOT NULL, arrived_at timestamptz NOT NULL)");
            s.execute("CREATE FUNCTION record_arrival() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "INSERT INTO arrivals VALUES (NEW.id, NEW.client_ts, clock_timestamp()); RETURN NULL; END $$");
            s.execute("CREATE CONSTRAINT TRIGGER " + TABLE + "_arrival AFTER INSERT OR UPDATE ON " + TABLE
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_arrival()");
        }
    }

    /** One steady-load phase: warm-up, measured window, then waits for the target to catch up and reads the latencies. */
    private void phase(RunningPipeline job, int rate) throws Exception {
        ChangeLoad.Phase phase = load.run(config, rate, job);
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            long lastTs = phase.lastClientTs();
            Bench.await(180_000, 100, () -> Bench.queryLong(c, "SELECT coalesce(max(client_ts), 0) FROM arrivals") >= lastTs,
                    job, "the last change of the phase");
            List<Long> micros = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT (extract(epoch FROM arrived_at) * 1000000)::bigint - client_ts * 1000 FROM arrivals "
                            + "WHERE client_ts >= " + phase.windowStart() + " AND client_ts < " + phase.windowEnd())) {
                while (rs.next()) {
                    micros.add(rs.getLong(1));
                }
            }
            long[] latencies = micros.stream().mapToLong(Long::longValue).toArray();
            String line = ChangeLoad.line(phase, latencies);
            report.add(line + "  " + phase.cpu());
            Bench.log("  " + line.trim().replaceAll(" +", " ") + "  (rate achieved committed measured p50 p95 p99 max mean)");
            if (rate >= 5000) {
                long p99 = Bench.percentile(Bench.sorted(latencies), 99);
                report.add("           " + phase.verdict("p99 < 200 ms", p99 >= 0 && p99 < 200_000));
            } else if (!phase.rateReached()) {
                report.add("           " + phase.verdict(null, false));
            }
        }
    }
}
