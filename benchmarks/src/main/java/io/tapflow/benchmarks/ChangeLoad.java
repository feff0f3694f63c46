package io.tapflow.benchmarks;

import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The change load of the latency benchmarks, on MariaDB table {@value #TABLE} {@code (id INT PRIMARY KEY, payload
 * VARCHAR(200), client_ts BIGINT)}: writer threads commit autocommit single-row inserts of new ids and updates of
 * random snapshot rows on a fixed schedule, each setting {@code client_ts = System.currentTimeMillis()} just before its
 * statement runs. It reports the rate it achieved in the measured window: a latency is only judged if that rate
 * reached the target.
 *
 * <p>Settings: warmupSeconds (5), measureSeconds (30), writers (8 connections), insertPercent (30).
 */
final class ChangeLoad {
    static final String TABLE = "events";
    /** The achieved rate must be at least this share of the target rate for a latency figure to be judged. */
    private static final double REACHED = 0.98;

    private final MariaDbServer mariaDb;
    private final int rows;
    private final AtomicInteger nextId = new AtomicInteger(10_000_000);

    /** What one phase did: the measured window in client_ts milliseconds, and how much load it carried. */
    record Phase(int targetRate, long windowStart, long windowEnd, long inWindow, double achieved, long lastClientTs,
                 long maxLateNs, long endMs, String cpu) {
        boolean rateReached() {
            return achieved >= REACHED * targetRate;
        }

        /** The aim's verdict, or "no verdict" when the load fell short of the target rate. */
        String verdict(String aim, boolean met) {
            return rateReached() ? String.format("aim %s at %,d/s: %s", aim, targetRate, met ? "met" : "NOT met")
                    : String.format("no verdict: the load reached %,.0f/s of the %,d/s target", achieved, targetRate);
        }
    }

    ChangeLoad(MariaDbServer mariaDb, int rows) {
        this.mariaDb = mariaDb;
        this.rows = rows;
    }

    /** Creates the table with {@code rows} snapshot rows (client_ts 0). */
    void createTable() throws SQLException {
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

    /** Commits one update of row 1 with this client_ts: a probe that the pipeline streams. */
    void probe(long clientTs) throws SQLException {
        try (Connection m = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = m.createStatement()) {
            s.executeUpdate("UPDATE " + TABLE + " SET payload = 'probe', client_ts = " + clientTs + " WHERE id = 1");
        }
    }

    private static String payload(int n) {
        return "payload-" + n + "-" + "x".repeat(40 + n % 40);
    }

    /** Runs one phase at {@code rate} changes/s: warm-up, then the measured window; returns when the writers are done. */
    Phase run(BenchConfig config, int rate, RunningPipeline job) throws Exception {
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
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
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
                + "(%,.0f/s); latest start %.1f ms behind schedule; %s", endMs - windowEnd, inWindow.sum(), achieved,
                maxLateNs.get() / 1e6, load));
        return new Phase(rate, windowStart, windowEnd, inWindow.sum(), achieved, maxTs.get(), maxLateNs.get(), endMs, load);
    }

    /** Column titles of {@link #line}. */
    static String header() {
        return String.format("%10s %10s %10s %9s %8s %8s %8s %8s %8s", "target/s", "achieved/s", "committed", "measured",
                "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms");
    }

    /** One report line: the rates beside the latencies (microseconds) of the changes measured in the window. */
    static String line(Phase phase, long[] latencyMicros) {
        long[] sorted = Bench.sorted(latencyMicros);
        double mean = java.util.Arrays.stream(sorted).average().orElse(Double.NaN) / 1000;
        return String.format("%,10d %,10.0f %,10d %8.1f%% %8.1f %8.1f %8.1f %8.1f %8.1f", phase.targetRate(),
                phase.achieved(), phase.inWindow(), 100.0 * sorted.length / Math.max(1, phase.inWindow()),
                Bench.percentile(sorted, 50) / 1000.0, Bench.percentile(sorted, 95) / 1000.0,
                Bench.percentile(sorted, 99) / 1000.0, sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0, mean);
    }
}
