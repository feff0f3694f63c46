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
    private static final String TABLE = "events";

    private final BenchConfig config;
    private final int rows;
    private final List<String> report = new ArrayList<>();
    private MariaDbServer mariaDb;
    private PostgresServer postgres;
    private final AtomicInteger nextId = new AtomicInteger(10_000_000);

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
                try (Connection m = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = m.createStatement()) {
                    s.executeUpdate("UPDATE " + TABLE + " SET payload = 'probe', client_ts = " + probe + " WHERE id = 1");
                }
                Bench.await(120_000, 50, () -> Bench.queryLong(c, "SELECT count(*) FROM arrivals WHERE client_ts = " + probe) > 0,
                        job, "the first streamed change");
                Bench.log("streaming: a probe change arrived");
            }
            for (int rate : config.integers("rates", "1000,5000")) {
                phase(job, rate);
            }
            System.out.println();
            System.out.println("Change latency MariaDB 10.11 → tapflow (Flink 1.20, parallelism 1) → PostgreSQL 14, source commit to target commit");
            System.out.printf("%10s %10s %10s %9s %8s %8s %8s %8s %8s%n", "target/s", "achieved/s", "committed", "measured",
                    "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms");
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
        try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id INT NOT NULL PRIMARY KEY, payload VARCHAR(200) NOT NULL, "
                    + "client_ts BIGINT NOT NULL) ENGINE=InnoDB");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, 0)")) {
                for (int id = 1; id <= rows; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, payload(id));
                    ps.addBatch();
                    if (id % 1000 == 0 || id == rows) {
                        ps.executeBatch();
                    }
                }
            }
            c.commit();
        }
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

    private static String payload(int n) {
        return "payload-" + n + "-" + "x".repeat(40 + n % 40);
    }

    /** One steady-load phase: warm-up, measured window, then waits for the target to catch up and reads the latencies. */
    private void phase(RunningPipeline job, int rate) throws Exception {
        int warmup = config.integer("warmupSeconds", 5);
        int measure = config.integer("measureSeconds", 30);
        int writers = config.integer("writers", 8);
        int insertPercent = config.integer("insertPercent", 30);
        long total = (long) rate * (warmup + measure);
        Bench.log(String.format("%,d changes/s for %d s warm-up + %d s measured, %d writer connections, %d%% inserts",
                rate, warmup, measure, writers, insertPercent));

        CpuMonitor cpu = new CpuMonitor(config.workDir());
        CpuMonitor.Sample cpuStart = cpu.sample();
        AtomicLong sequence = new AtomicLong();
        LongAdder inWindow = new LongAdder();
        LongAccumulator maxTs = new LongAccumulator(Math::max, 0);
        LongAccumulator maxLateNs = new LongAccumulator(Math::max, 0);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        // Schedule and window in the same clock as client_ts, from one reading of both clocks.
        long startNs = System.nanoTime() + 200_000_000L;
        long startMs = System.currentTimeMillis() + 200;
        long windowStart = startMs + warmup * 1000L;
        long windowEnd = startMs + (warmup + measure) * 1000L;
        for (int w = 0; w < writers; w++) {
            Connection c = mariaDb.connectAsAdmin(Bench.DATABASE);
            Thread t = new Thread(() -> {
                try (c;
                     PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " (id, payload, client_ts) VALUES (?, ?, ?)");
                     PreparedStatement update = c.prepareStatement("UPDATE " + TABLE + " SET payload = ?, client_ts = ? WHERE id = ?")) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long n;
                    while ((n = sequence.getAndIncrement()) < total && failures.isEmpty()) {
                        long due = startNs + (long) (n * 1e9 / rate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        maxLateNs.accumulate(System.nanoTime() - due);
                        long ts;
                        if (random.nextInt(100) < insertPercent) {
                            int id = nextId.getAndIncrement();
                            insert.setInt(1, id);
                            insert.setString(2, payload(id));
                            ts = System.currentTimeMillis();
                            insert.setLong(3, ts);
                            insert.executeUpdate();
                        } else {
                            int id = 2 + random.nextInt(rows - 1);
                            update.setString(1, payload((int) n));
                            ts = System.currentTimeMillis();
                            update.setLong(2, ts);
                            update.setInt(3, id);
                            update.executeUpdate();
                        }
                        if (ts >= windowStart && ts < windowEnd) {
                            inWindow.increment();
                        }
                        maxTs.accumulate(ts);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "writer-" + w);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        long endMs = System.currentTimeMillis();
        String load = cpu.since(cpuStart);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a writer failed", failures.get(0));
        }
        Bench.checkRunning(job);
        double achieved = inWindow.sum() / (double) measure;
        Bench.log(String.format("  writers done %d ms after schedule end; %,d changes committed in the measured window "
                + "(%,.0f/s); latest start %.1f ms behind schedule; %s", endMs - windowEnd, inWindow.sum(), achieved, maxLateNs.get() / 1e6, load));

        try (Connection c = postgres.connect(Bench.DATABASE)) {
            long lastTs = maxTs.get();
            Bench.await(180_000, 100, () -> Bench.queryLong(c, "SELECT coalesce(max(client_ts), 0) FROM arrivals") >= lastTs,
                    job, "the last change of the phase");
            List<Long> micros = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT (extract(epoch FROM arrived_at) * 1000000)::bigint - client_ts * 1000 FROM arrivals "
                            + "WHERE client_ts >= " + windowStart + " AND client_ts < " + windowEnd)) {
                while (rs.next()) {
                    micros.add(rs.getLong(1));
                }
            }
            long[] sorted = Bench.sorted(micros.stream().mapToLong(Long::longValue).toArray());
            double mean = micros.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1000;
            String line = String.format("%,10d %,10.0f %,10d %8.1f%% %8.1f %8.1f %8.1f %8.1f %8.1f", rate, achieved, inWindow.sum(),
                    100.0 * sorted.length / Math.max(1, inWindow.sum()), Bench.percentile(sorted, 50) / 1000.0,
                    Bench.percentile(sorted, 95) / 1000.0, Bench.percentile(sorted, 99) / 1000.0,
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0, mean);
            report.add(line + "  " + load);
            Bench.log("  " + line.trim().replaceAll(" +", " ") + "  (rate achieved committed measured p50 p95 p99 max mean)");
            if (rate >= 5000) {
                long p99 = Bench.percentile(sorted, 99);
                report.add(String.format("           aim p99 < 200 ms at %,d/s: %s", rate, p99 >= 0 && p99 < 200_000 ? "met" : "NOT met"));
            }
        }
    }
}
