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
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The change load of the latency benchmarks, on MariaDB table {@value #TABLE} {@code (id INT PRIMARY KEY, payload
 * VARCHAR(200), client_ts BIGINT)}: writer threads commit inserts of new ids and updates of random snapshot rows on a
 * fixed schedule, one change per autocommit statement or several per transaction, each setting {@code client_ts =
 * System.currentTimeMillis()} just before its statements run. It reports the rate it achieved in the measured window:
 * a latency is only judged if that rate reached the target.
 *
 * <p>Settings: warmupSeconds (5), measureSeconds (30), writers (8 connections), insertPercent (30),
 * rowsPerTransaction (1).
 */
final class ChangeLoad {
    static final String TABLE = "events";
    private static final String DEADLOCK = "40001";
    /** The achieved rate must be at least this share of the target rate for a latency figure to be judged. */
    private static final double REACHED = 0.98;

    private final MariaDbServer mariaDb;
    private final int rows;
    private final AtomicInteger nextId = new AtomicInteger(10_000_000);

    /** What one phase did: the measured window in client_ts milliseconds, and how much load it carried. */
    record Phase(int targetRate, long windowStart, long windowEnd, long inWindow, double achieved, long lastClientTs,
                 long maxLateNs, long endMs, String cpu, long startMs, long[] committedPerSecond) {
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

    /**
     * Runs one phase at {@code rate} changes/s: warm-up, then the measured window; returns when the writers are done.
     * Each writer takes the next {@code rowsPerTransaction} changes of the schedule, waits until the first is due, and
     * commits them as one transaction (a multi-row INSERT of new ids and a multi-row upsert of existing ones), so a
     * few connections can produce far more than the rates asked. Writers stop at the end of the window even when
     * behind schedule: the achieved rate shows it.
     */
    Phase run(BenchConfig config, int rate, RunningPipeline job) throws Exception {
        int warmup = config.integer("warmupSeconds", 5);
        int measure = config.integer("measureSeconds", 30);
        int writers = config.integer("writers", 8);
        int insertPercent = config.integer("insertPercent", 30);
        int perTransaction = config.integer("rowsPerTransaction", 1);
        long total = (long) rate * (warmup + measure);
        Bench.log(String.format("%,d changes/s for %d s warm-up + %d s measured, %d writer connections, %d%% inserts, "
                + "%d change(s) per transaction", rate, warmup, measure, writers, insertPercent, perTransaction));

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
        AtomicLongArray perSecond = new AtomicLongArray(warmup + measure + 1);
        for (int w = 0; w < writers; w++) {
            Connection c = mariaDb.connectAsAdmin(Bench.DATABASE);
            c.setAutoCommit(perTransaction == 1);
            Thread t = new Thread(() -> {
                try (c; Statement statement = c.createStatement()) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long n;
                    while ((n = sequence.getAndAdd(perTransaction)) < total && failures.isEmpty()
                            && System.currentTimeMillis() < windowEnd) {
                        int count = (int) Math.min(perTransaction, total - n);
                        long due = startNs + (long) (n * 1e9 / rate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        maxLateNs.accumulate(System.nanoTime() - due);
                        long ts = writeChanges(c, statement, n, count, insertPercent, random);
                        if (ts >= windowStart && ts < windowEnd) {
                            inWindow.add(count);
                        }
                        int second = (int) ((ts - startMs) / 1000);
                        if (second >= 0 && second < perSecond.length()) {
                            perSecond.addAndGet(second, count);
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
        if (job != null) {
            Bench.checkRunning(job);
        }
        double achieved = inWindow.sum() / (double) measure;
        Bench.log(String.format("  writers done %d ms after schedule end; %,d changes committed in the measured window "
                + "(%,.0f/s); latest start %.1f ms behind schedule; %s", endMs - windowEnd, inWindow.sum(), achieved,
                maxLateNs.get() / 1e6, load));
        long[] committedPerSecond = new long[perSecond.length() - 1];
        for (int i = 0; i < committedPerSecond.length; i++) {
            committedPerSecond[i] = perSecond.get(i);
        }
        return new Phase(rate, windowStart, windowEnd, inWindow.sum(), achieved, maxTs.get(), maxLateNs.get(), endMs, load,
                startMs, committedPerSecond);
    }

    /**
     * Writes changes {@code first .. first+count-1} of the schedule and commits them: each is an insert of a new id with
     * probability insertPercent, else an update of a random snapshot row (row 1 is the probe's and is left alone); all
     * carry the same client_ts, taken just before the statements run. One statement per kind, the updated rows in key
     * order so that concurrent transactions lock them in the same order; a transaction InnoDB still picks as a
     * deadlock victim is run again. Returns the client_ts.
     */
    private long writeChanges(Connection c, Statement statement, long first, int count, int insertPercent,
                              ThreadLocalRandom random) throws SQLException {
        List<Integer> inserts = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (random.nextInt(100) < insertPercent) {
                inserts.add(nextId.getAndIncrement());
            } else {
                updates.add(2 + random.nextInt(rows - 1));
            }
        }
        Collections.sort(updates);
        for (int attempt = 1; ; attempt++) {
            long ts = System.currentTimeMillis();
            try {
                if (!inserts.isEmpty()) {
                    statement.executeUpdate("INSERT INTO " + TABLE + " (id, payload, client_ts) VALUES " + values(inserts, ts, first));
                }
                if (!updates.isEmpty()) {
                    // An upsert of rows that exist: the binlog holds one update event per row, as with UPDATE.
                    statement.executeUpdate("INSERT INTO " + TABLE + " (id, payload, client_ts) VALUES " + values(updates, ts, first)
                            + " ON DUPLICATE KEY UPDATE payload = VALUES(payload), client_ts = VALUES(client_ts)");
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                return ts;
            } catch (SQLException e) {
                if (!DEADLOCK.equals(e.getSQLState()) || attempt == 3) {
                    throw e;
                }
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        }
    }

    private static String values(List<Integer> ids, long ts, long first) {
        StringJoiner rows = new StringJoiner(",");
        for (int id : ids) {
            rows.add("(" + id + ",'" + payload((int) (first + id)) + "'," + ts + ")");
        }
        return rows.toString();
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
