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
 * Change latency, MariaDB → PostgreSQL: after the snapshot of a small table, writer threads commit inserts and updates
 * at a steady rate (one change per autocommit statement, or several per transaction), each row carrying
 * {@code client_ts}, the wall-clock milliseconds just before its statements ran. In PostgreSQL a deferred constraint
 * trigger on the target table logs every row tapflow writes with {@code clock_timestamp()} at the sink's COMMIT
 * (deferred triggers run as the transaction commits), so {@code arrived_at − client_ts} is the time from the source
 * commit until the change is committed in the target. Same machine, same clock. A change replaced by a later change
 * to the same key in the same sink batch is never written on its own and is not measured; the report says how many
 * changes were measured. After the rates, an optional step search finds the highest rate with p99 below a limit, and
 * the generator runs alone (pipeline stopped) to show the most it can produce.
 *
 * <p>Settings ({@code --name=value} or {@code -Dbench.name=value}): rates ("1000,5000" changes/s), warmupSeconds (5),
 * measureSeconds (30), writers (8 connections), rowsPerTransaction (1), rows (20000 snapshot rows), insertPercent (30;
 * the rest are updates of random snapshot rows), bucketSeconds (10, the over-time lines), catchUpSeconds (180),
 * search (rates, none by default), searchSeconds (30), p99Ms (500), generatorSeconds (10; 0 skips), workDir
 * (target/bench).
 */
public final class LatencyBenchmark {
    private static final String TABLE = ChangeLoad.TABLE;

    private final BenchConfig config;
    private final int rows;
    private final List<String> report = new ArrayList<>();
    private final List<String> overTime = new ArrayList<>();
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
                phase(job, rate, config, "");
            }
            List<Integer> search = config.integers("search", "");
            String highest = search.isEmpty() ? null : searchHighestRate(job, search);
            System.out.println();
            System.out.println("Change latency MariaDB 10.11 → tapflow (Flink 1.20, parallelism 1) → PostgreSQL 14, source commit to target commit");
            System.out.println(ChangeLoad.header());
            report.forEach(System.out::println);
            overTime.forEach(System.out::println);
            if (highest != null) {
                System.out.println(highest);
            }
            job.cancel(Duration.ofSeconds(60));
            job = null;
            int generatorSeconds = config.integer("generatorSeconds", 10);
            if (generatorSeconds > 0) {
                System.out.println(generatorAlone(generatorSeconds));
            }
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

    /** What one phase measured: the p99 in microseconds (-1 if nothing arrived) and whether everything arrived. */
    private record Outcome(ChangeLoad.Phase phase, long p99Micros, boolean caughtUp) {
        boolean passes(long p99LimitMicros) {
            return phase.rateReached() && caughtUp && p99Micros >= 0 && p99Micros < p99LimitMicros;
        }
    }

    /**
     * One steady-load phase: warm-up, measured window, then waits (up to catchUpSeconds) for the target to catch up
     * and reads the latencies; a measured window of at least two buckets also gets a line per bucketSeconds.
     */
    private Outcome phase(RunningPipeline job, int rate, BenchConfig settings, String label) throws Exception {
        ChangeLoad.Phase phase = load.run(settings, rate, job);
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            long lastTs = phase.lastClientTs();
            boolean caughtUp = true;
            try {
                Bench.await(config.integer("catchUpSeconds", 180) * 1000L, 100,
                        () -> Bench.queryLong(c, "SELECT coalesce(max(client_ts), 0) FROM arrivals") >= lastTs, job,
                        "the last change of the phase");
            } catch (IllegalStateException timedOut) {
                Bench.checkRunning(job);
                caughtUp = false;
            }
            long[] latencies = latencies(c, phase.windowStart(), phase.windowEnd());
            String line = ChangeLoad.line(phase, latencies);
            long p99 = Bench.percentile(Bench.sorted(latencies), 99);
            report.add(line + "  " + phase.cpu() + label);
            Bench.log("  " + line.trim().replaceAll(" +", " ") + "  (rate achieved committed measured p50 p95 p99 max mean)");
            if (!caughtUp) {
                report.add("           the target had not caught up " + config.integer("catchUpSeconds", 180)
                        + " s after the load stopped: these figures miss the latest changes");
            }
            if (rate == 5000) {
                report.add("           " + phase.verdict("p99 < 200 ms", p99 >= 0 && p99 < 200_000));
            } else if (!phase.rateReached()) {
                report.add("           " + phase.verdict(null, false));
            }
            overTime(c, phase);
            // The next phase is measured on its own rows; and a log of millions of rows would slow every later query.
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE arrivals");
            }
            return new Outcome(phase, p99, caughtUp);
        }
    }

    private static long[] latencies(Connection c, long fromTs, long toTs) throws SQLException {
        List<Long> micros = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (extract(epoch FROM arrived_at) * 1000000)::bigint - client_ts * 1000 FROM arrivals "
                        + "WHERE client_ts >= " + fromTs + " AND client_ts < " + toTs)) {
            while (rs.next()) {
                micros.add(rs.getLong(1));
            }
        }
        return micros.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Latency and lag over time: per bucketSeconds (10) of the measured window, the changes committed per second in
     * the source beside p50/p99/max of their latency. The max is the lag: how far behind the source the target was
     * at worst during that bucket.
     */
    private void overTime(Connection c, ChangeLoad.Phase phase) throws SQLException {
        int bucket = config.integer("bucketSeconds", 10);
        long window = (phase.windowEnd() - phase.windowStart()) / 1000;
        if (window < 2L * bucket) {
            return;
        }
        overTime.add(String.format("%nover time, %,d changes/s asked (seconds from the start of the measured window):", phase.targetRate()));
        overTime.add(String.format("%9s %12s %9s %9s %14s", "seconds", "achieved/s", "p50 ms", "p99 ms", "lag (max) ms"));
        int warmupSeconds = (int) ((phase.windowStart() - phase.startMs()) / 1000);
        for (long from = 0; from + bucket <= window; from += bucket) {
            long committed = 0;
            for (int sec = (int) from; sec < from + bucket; sec++) {
                committed += phase.committedPerSecond()[warmupSeconds + sec];
            }
            long[] sorted = Bench.sorted(latencies(c, phase.windowStart() + from * 1000, phase.windowStart() + (from + bucket) * 1000));
            overTime.add(String.format("%4d-%-4d %,12.0f %9.1f %9.1f %14.1f", from, from + bucket, committed / (double) bucket,
                    Bench.percentile(sorted, 50) / 1000.0, Bench.percentile(sorted, 99) / 1000.0,
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0));
        }
    }

    /**
     * The highest rate with p99 below p99Ms (500): phases of searchSeconds (30) at each rate, in the order given,
     * until one fails. A rate the load did not reach ends the search without a verdict on it.
     */
    private String searchHighestRate(RunningPipeline job, List<Integer> rates) throws Exception {
        long limitMicros = config.integer("p99Ms", 500) * 1000L;
        BenchConfig step = config.with("measureSeconds", String.valueOf(config.integer("searchSeconds", 30)));
        Integer best = null;
        double bestAchieved = 0;
        String end = "every rate asked passed; the highest may be above them";
        for (int rate : rates) {
            Outcome outcome = phase(job, rate, step, "  [search step]");
            if (!outcome.phase().rateReached()) {
                end = String.format("the search stopped at %,d/s: the load reached only %,.0f/s, no verdict", rate,
                        outcome.phase().achieved());
                break;
            }
            if (!outcome.passes(limitMicros)) {
                end = String.format("at %,d/s (achieved %,.0f/s) p99 was %s", rate, outcome.phase().achieved(),
                        outcome.caughtUp() ? String.format("%.1f ms", outcome.p99Micros() / 1000.0) : "unknown: the target fell behind");
                break;
            }
            best = rate;
            bestAchieved = outcome.phase().achieved();
        }
        return best == null
                ? String.format("%nhighest rate with p99 < %d ms: none of %s (%s)", limitMicros / 1000, rates, end)
                : String.format("%nhighest rate with p99 < %d ms: %,d/s asked, %,.0f/s achieved (steps %s; %s)",
                limitMicros / 1000, best, bestAchieved, rates, end);
    }

    /**
     * The load generator on its own, with the pipeline stopped: the same writers and transactions at a rate they
     * cannot reach, so what they achieve is the most this machine's MariaDB takes from them. The rates asked of the
     * pipeline are only meaningful well below it.
     */
    private String generatorAlone(int seconds) throws Exception {
        BenchConfig alone = config.with("warmupSeconds", "2").with("measureSeconds", String.valueOf(seconds));
        ChangeLoad.Phase phase = load.run(alone, 10_000_000, null);
        return String.format("load generator alone (pipeline stopped): %,.0f changes/s over %d s with %d writer connections,"
                + " %d change(s) per transaction (%s)", phase.achieved(), seconds, config.integer("writers", 8),
                config.integer("rowsPerTransaction", 1), phase.cpu());
    }
}
