package io.tapflow.benchmarks;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/** Helpers the benchmarks share: server set-up, datasources, waiting, statistics, output. */
final class Bench {
    static final String DATABASE = "bench";

    private Bench() {}

    /**
     * MariaDB's default 128 MB buffer pool would make every pass over a 300 MB table read from the page cache through
     * InnoDB's LRU; 1 GB keeps the table in memory, as on a production server with a sized buffer pool.
     */
    static void tuneMariaDb(MariaDbServer mariaDb, int bufferPoolMb) throws SQLException {
        try (Connection c = mariaDb.connectAsAdmin(""); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL innodb_buffer_pool_size = " + (bufferPoolMb * 1024L * 1024L));
        }
    }

    /** Lets InnoDB write back the pages dirtied by the load, so that background flushing does not skew the first measurement. */
    static void quiesce(MariaDbServer mariaDb) throws SQLException, InterruptedException {
        try (Connection c = mariaDb.connectAsAdmin(""); Statement s = c.createStatement()) {
            String old = queryString(c, "SELECT @@innodb_max_dirty_pages_pct");
            s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
            long start = System.nanoTime();
            await(120_000, 500, () -> queryLong(c, "SELECT variable_value FROM information_schema.global_status "
                    + "WHERE variable_name = 'INNODB_BUFFER_POOL_PAGES_DIRTY'") < 50, null, "InnoDB to flush dirty pages");
            s.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + old);
            log(String.format("InnoDB flushed its dirty pages in %.1f s", (System.nanoTime() - start) / 1e9));
        }
    }

    static DataSource mysqlSource(MariaDbServer m) {
        return DataSource.of("mysql", "bench-mariadb").host(m.host()).port(m.port())
                .username(m.cdcUser()).password(m.cdcPassword()).database(DATABASE);
    }

    static DataSource postgresTarget(PostgresServer pg) {
        return DataSource.of("postgres", "bench-postgres").host(pg.host()).port(pg.port())
                .username(pg.user()).password(pg.password()).database(DATABASE);
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Fails when the pipeline stopped: a benchmark must not wait forever for a dead job. */
    static void checkRunning(RunningPipeline job) {
        if (job.status().isTerminalState()) {
            job.awaitTermination();
            throw new IllegalStateException("pipeline " + job.name() + " ended: " + job.status());
        }
    }

    /** The body of a benchmark's main method. */
    interface Run {
        void run() throws Exception;
    }

    /**
     * Runs a benchmark and exits: with 1 after printing what failed (its servers are closed by then), else with 0, so
     * that Flink's and the drivers' non-daemon threads cannot keep a finished benchmark alive.
     */
    static void runAndExit(Run benchmark) {
        try {
            benchmark.run();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    interface SqlCondition {
        boolean test() throws SQLException;
    }

    /** Polls every {@code pollMs} until the condition holds; returns the System.nanoTime() of the poll that saw it. */
    static long await(long timeoutMs, long pollMs, SqlCondition condition, RunningPipeline job, String what)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            if (condition.test()) {
                return System.nanoTime();
            }
            if (job != null) {
                checkRunning(job);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutMs / 1000 + " s waiting for " + what);
            }
            Thread.sleep(pollMs);
        }
    }

    static void sleepUntil(BooleanSupplier stop, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!stop.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    static String rate(double perSecond) {
        return String.format("%,.0f", perSecond);
    }

    static void header(String title, BenchConfig config) {
        // The binlog client logs through java.util.logging straight to stderr; keep the console for results.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.out.println("== " + title + " == " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, JDK " + System.getProperty("java.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, work dir " + config.workDir());
        System.out.println("load average before start: " + loadAverage());
    }

    /** The 1/5/15-minute load averages: anything else busy on the machine skews the numbers. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String message) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), message);
        System.out.flush();
    }

    /** Closes what was opened, in reverse order, reporting but not throwing failures. */
    static void closeQuietly(AutoCloseable... resources) {
        for (int i = resources.length - 1; i >= 0; i--) {
            if (resources[i] == null) {
                continue;
            }
            try {
                resources[i].close();
            } catch (Exception e) {
                System.err.println("could not close " + resources[i] + ": " + e);
            }
        }
    }
}
