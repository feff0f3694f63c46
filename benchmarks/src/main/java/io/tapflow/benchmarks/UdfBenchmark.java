package io.tapflow.benchmarks;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.Directories;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The same snapshot pipeline (MariaDB → PostgreSQL) without a UDF, with a trivial JavaScript UDF and with a trivial
 * Python UDF ({@code return record}), in one run: rows/s of each as a ratio to the pipeline without a UDF, and the job's
 * start-up (planning, which compiles the UDF once, and the time until the first row is visible in the target). Ratios
 * are to the fastest run without a UDF.
 * Options: rows (200000), variants (none,js,python,none), timeoutMinutes (20).
 */
public final class UdfBenchmark {
    private static final long POLL_MS = 100;
    private final BenchConfig config;

    private UdfBenchmark(BenchConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("UDF throughput and start-up", config);
        new UdfBenchmark(config).run();
    }

    private record Result(String variant, long rows, double planSeconds, double firstRowSeconds, double seconds) {
        double rate() {
            return rows / seconds;
        }

        /** Rows/s once rows flow: start-up (and the one-off context creation) left out. */
        double flowingRate() {
            return rows / (seconds - firstRowSeconds);
        }
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        int rows = config.integer("rows", 200_000);
        MariaDbServer mariaDb = null;
        PostgresServer postgres = null;
        try {
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            postgres = PostgresServer.start(work.resolve("postgres"));
            Bench.tuneMariaDb(mariaDb, config.integer("bufferPoolMb", 1024));
            mariaDb.createDatabase(Bench.DATABASE);
            postgres.createDatabase(Bench.DATABASE);
            try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE)) {
                BenchTable.createAndLoad(c, rows);
            }
            Bench.log(String.format("%,d rows loaded into MariaDB", rows));
            List<Result> results = new ArrayList<>();
            int i = 0;
            for (String variant : config.string("variants", "none,js,python,none").split(",")) {
                results.add(measure(variant.trim(), i++, rows, Bench.mysqlSource(mariaDb), Bench.postgresTarget(postgres), postgres));
            }
            report(results);
        } finally {
            Bench.closeQuietly(mariaDb, postgres);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    private Pipeline withUdf(Pipeline p, String variant) {
        return switch (variant) {
            case "none" -> p;
            case "js" -> p.js("return record;");
            case "python" -> p.py("def same(record):\n    return record\n", "same");
            default -> throw new IllegalArgumentException("variants are none, js and python, got " + variant);
        };
    }

    private Result measure(String variant, int n, long rows, DataSource mysql, DataSource pg, PostgresServer postgres)
            throws Exception {
        String table = "udf_" + variant + "_" + n;
        Pipeline pipeline = withUdf(Pipeline.named("udf-" + variant + "-" + n).readFrom(mysql.table(BenchTable.NAME)), variant)
                .writeTo(pg.table(table));
        long planStart = System.nanoTime();
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        double planSeconds = (System.nanoTime() - planStart) / 1e9;
        Path checkpoints = config.workDir().resolve("checkpoints").resolve(table);
        Bench.log("pipeline " + pipeline.name() + " (plan " + String.format("%.2f", planSeconds) + " s), load " + Bench.loadAverage());
        long timeoutMs = config.integer("timeoutMinutes", 20) * 60_000L;
        RunningPipeline job = null;
        long start = System.nanoTime();
        long firstRow = -1;
        long done;
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            job = LocalPipelineRunner.start(plan, new LocalRunOptions(checkpoints, -1, null, SinkOptions.DEFAULTS));
            while (true) {
                long count = Bench.queryLong(c, "SELECT count(*) FROM \"" + table + "\"");
                long now = System.nanoTime();
                if (firstRow < 0 && count > 0) {
                    firstRow = now;
                }
                if (count >= rows) {
                    done = now;
                    break;
                }
                Bench.checkRunning(job);
                if (now - start > timeoutMs * 1_000_000L) {
                    throw new IllegalStateException("pipeline did not copy " + rows + " rows in " + timeoutMs / 60000 + " min");
                }
                Thread.sleep(POLL_MS);
            }
        } finally {
            if (job != null) {
                job.cancel(Duration.ofSeconds(60));
            }
        }
        Result r = new Result(variant, rows, planSeconds, (firstRow - start) / 1e9, (done - start) / 1e9);
        Bench.log(String.format("    %s: %,d rows in %.2f s = %s rows/s; first row after %.2f s; load %s", variant, rows,
                r.seconds(), Bench.rate(r.rate()), r.firstRowSeconds(), Bench.loadAverage()));
        Directories.deleteRecursively(checkpoints);
        return r;
    }

    private static void report(List<Result> results) {
        double baseline = results.stream().filter(r -> r.variant().equals("none")).mapToDouble(Result::rate).max().orElse(Double.NaN);
        System.out.println();
        double flowingBaseline = results.stream().filter(r -> r.variant().equals("none"))
                .mapToDouble(Result::flowingRate).max().orElse(Double.NaN);
        System.out.println("| variant | rows | plan s | first row s | total s | rows/s | ratio | rows/s after first row | ratio |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf("| %s | %,d | %.2f | %.2f | %.2f | %s | %.2f | %s | %.2f |%n", r.variant(), r.rows(),
                    r.planSeconds(), r.firstRowSeconds(), r.seconds(), Bench.rate(r.rate()), r.rate() / baseline,
                    Bench.rate(r.flowingRate()), r.flowingRate() / flowingBaseline);
        }
    }
}
