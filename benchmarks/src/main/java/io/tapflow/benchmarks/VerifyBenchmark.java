package io.tapflow.benchmarks;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.Directories;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code tapflow verify} on equal tables, MariaDB → PostgreSQL: {@code --rows} rows (default 1,000,000) of the
 * snapshot benchmark's table are replicated by a tapflow pipeline, then, each in a fresh JVM with {@code --heap}
 * (default 256m): both tables read raw in parallel (JDBC), {@code verify --mode rows} and {@code verify --mode hash}.
 * Prints the seconds of each (inside its JVM, start-up excluded), the ratio to the raw read, and the peak heap used.
 * The DOUBLE column is left out of the pipeline: floating point has no text form both databases print alike, so
 * hash mode would compare a table with it row by row (see HashText).
 */
public final class VerifyBenchmark {
    static final List<String> COLUMNS = BenchTable.COLUMNS.stream().filter(c -> !c.equals("score")).toList();
    private static final String TARGET = "bench_verify";
    private final BenchConfig config;
    private final int rows;

    private VerifyBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 1_000_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("VerifyBenchmark", config);
        Bench.runAndExit(() -> new VerifyBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        MariaDbServer mariaDb = null;
        PostgresServer postgres = null;
        try {
            Bench.log("starting MariaDB (binlog on) and PostgreSQL under " + work);
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            postgres = PostgresServer.start(work.resolve("postgres"));
            Bench.tuneMariaDb(mariaDb, config.integer("bufferPoolMb", 1024));
            JobSpec spec = load(mariaDb, postgres, work);
            String heap = config.string("heap", "256m");
            Map<String, Map<String, String>> results = new LinkedHashMap<>();
            for (String mode : config.string("modes", "raw,rows,hash").split(",")) {
                Bench.log("running " + mode + " in a JVM with -Xmx" + heap);
                Map<String, String> r = child(mode, heap, Boolean.parseBoolean(config.string("jfr", "false")), spec, work);
                if (!"true".equals(r.get("equal")) || Long.parseLong(r.get("rows")) != rows) {
                    throw new IllegalStateException(mode + ": expected " + rows + " equal rows, got " + r);
                }
                results.put(mode, r);
                Bench.log("    " + r);
            }
            report(results, heap);
        } finally {
            Bench.log("stopping servers");
            Bench.closeQuietly(mariaDb, postgres);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    /** Loads the source table and replicates it with a tapflow pipeline (parallelism 1) until PostgreSQL has every row. */
    private JobSpec load(MariaDbServer mariaDb, PostgresServer postgres, Path work) throws Exception {
        mariaDb.createDatabase(Bench.DATABASE);
        postgres.createDatabase(Bench.DATABASE);
        try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = c.createStatement()) {
            Bench.log(String.format("loading %,d rows into MariaDB", rows));
            BenchTable.createAndLoad(c, rows);
            s.execute("ANALYZE TABLE " + BenchTable.NAME);
        }
        Bench.quiesce(mariaDb);
        DataSource mysql = Bench.mysqlSource(mariaDb);
        DataSource pg = Bench.postgresTarget(postgres);
        Pipeline pipeline = Pipeline.named("verify-bench").readFrom(mysql.table(BenchTable.NAME)).exclude("score")
                .writeTo(pg.table(TARGET));
        JobSpec spec = JobSpec.of(pipeline, mysql, pg);
        long start = System.nanoTime();
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec),
                new LocalRunOptions(work.resolve("checkpoints"), -1, null, SinkOptions.DEFAULTS));
             Connection c = postgres.connect(Bench.DATABASE)) {
            Bench.await(config.integer("timeoutMinutes", 20) * 60_000L, 1_000,
                    () -> Bench.queryLong(c, "SELECT count(*) FROM " + TARGET) == rows, job, "the replica's rows");
        }
        Bench.log(String.format("replicated by tapflow in %.1f s", (System.nanoTime() - start) / 1e9));
        try (Connection c = postgres.connect(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE " + TARGET);
            s.execute("CHECKPOINT");
        }
        return spec;
    }

    /** Runs one {@link VerifyRun} in a JVM of its own and returns its result line as name=value pairs. */
    private static Map<String, String> child(String mode, String heap, boolean jfr, JobSpec spec, Path work) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dbench.log=" + work.resolve("verify-" + mode + ".log"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        if (jfr) {
            // --jfr=true: a flight recording of each run (settings=profile samples every 10-20 ms) to see where time goes.
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + work.resolve("verify-" + mode + ".jfr"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VerifyRun.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(DefinitionJson.toJson(spec).getBytes(StandardCharsets.UTF_8));
        }
        String output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            output = out.lines().collect(Collectors.joining("\n"));
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(mode + " failed (exit " + process.exitValue() + "): " + output);
        }
        String last = output.lines().reduce((a, b) -> b).orElse("");
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : last.split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                result.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return result;
    }

    private void report(Map<String, Map<String, String>> results, String heap) {
        System.out.println();
        System.out.printf("== %,d rows MariaDB -> PostgreSQL, equal tables, %d columns, each run in a JVM with -Xmx%s ==%n",
                rows, COLUMNS.size(), heap);
        Map<String, String> raw = results.get("raw");
        double rawSeconds = raw == null ? Double.NaN : Double.parseDouble(raw.get("seconds"));
        results.forEach((mode, r) -> {
            double seconds = Double.parseDouble(r.get("seconds"));
            System.out.printf("%-5s %8.2f s  %10s rows/s  %5.2fx raw  cpu %6.2f s  peak heap %4s MB  %s%n", mode, seconds,
                    Bench.rate(rows / seconds), seconds / rawSeconds, Double.parseDouble(r.get("cpuSeconds")), r.get("peakHeapMb"),
                    r.get("notes").replace('_', ' '));
        });
        System.out.println("aims: rows <= 1.5x raw; hash faster than rows; both within the heap. load average now: " + Bench.loadAverage());
    }
}
