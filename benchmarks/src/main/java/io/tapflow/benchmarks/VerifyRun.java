package io.tapflow.benchmarks;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import io.tapflow.flink.source.mysql.snapshot.SnapshotConnections;
import io.tapflow.flink.verify.TableReport;
import io.tapflow.flink.verify.Verifier;
import io.tapflow.flink.verify.VerifyMode;
import io.tapflow.flink.verify.VerifyOptions;
import io.tapflow.flink.verify.VerifyReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

/**
 * One measured step of {@link VerifyBenchmark}, in a JVM of its own (started with the heap under test): {@code raw}
 * reads the source and the target table in parallel with plain JDBC (streaming, every column); {@code rows} and
 * {@code hash} run {@code tapflow verify} in that mode. The job spec comes on stdin (it holds the servers'
 * passwords, which do not belong on a command line); one result line goes to stdout:
 * {@code seconds=.. rows=.. peakHeapMb=.. equal=.. notes=..}.
 */
public final class VerifyRun {
    private VerifyRun() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> {
            String mode = args[0];
            JobSpec spec = DefinitionJson.jobSpec(new String(System.in.readAllBytes(), StandardCharsets.UTF_8), "stdin");
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            String result = mode.equals("raw") ? raw(spec) : verify(spec, VerifyMode.valueOf(mode.toUpperCase()));
            double seconds = (System.nanoTime() - start) / 1e9;
            // The JVM's CPU time (all threads, JIT and GC included) says what a run costs even when other work
            // shares the cores and stretches its wall time.
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            System.out.printf("seconds=%.3f %s peakHeapMb=%d cpuSeconds=%.3f%n", seconds, result, peakHeapMb(), cpuSeconds);
        });
    }

    private static String verify(JobSpec spec, VerifyMode mode) {
        VerifyReport report = Verifier.verify(spec, VerifyOptions.rows().withMode(mode));
        TableReport t = report.tables().get(0);
        return "rows=" + t.matched() + " equal=" + report.equal() + " notes=" + String.join(" | ", t.notes()).replace(' ', '_');
    }

    /** Both tables read at once, each on its own thread and connection; every value fetched as the driver's object. */
    private static String raw(JobSpec spec) throws Exception {
        DataSource mysql = spec.datasources().get(0);
        DataSource pg = spec.datasources().get(1);
        String table = spec.pipeline().sources().get(0).tables().get(0);
        String columns = String.join(", ", VerifyBenchmark.COLUMNS);
        CompletableFuture<Long> source = CompletableFuture.supplyAsync(() -> read(() -> SnapshotConnections.open(mysql),
                "SELECT " + columns + " FROM " + table + " ORDER BY id", Integer.MIN_VALUE, true));
        CompletableFuture<Long> target = CompletableFuture.supplyAsync(() -> read(() -> JdbcConnections.open(new PostgresDialect(), pg),
                "SELECT " + columns + " FROM " + spec.pipeline().target().table() + " ORDER BY id", 2_000, false));
        long rows = source.get();
        long targetRows = target.get();
        return "rows=" + rows + " equal=" + (rows == targetRows) + " notes=target_rows_" + targetRows;
    }

    private interface ConnectionSource {
        Connection open() throws Exception;
    }

    private static long read(ConnectionSource connections, String sql, int fetchSize, boolean autoCommit) {
        try (Connection c = connections.open()) {
            c.setAutoCommit(autoCommit); // PostgreSQL streams with a cursor only inside a transaction
            try (Statement s = c.createStatement()) {
                s.setFetchSize(fetchSize);
                long rows = 0;
                long sink = 0;
                try (ResultSet rs = s.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            sink += v == null ? 0 : 1;
                        }
                        rows++;
                    }
                }
                return sink < 0 ? -1 : rows;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
