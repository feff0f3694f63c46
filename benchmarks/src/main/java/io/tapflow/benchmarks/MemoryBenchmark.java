package io.tapflow.benchmarks;

import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How much memory a single-table pipeline takes on embedded Flink: {@code tapflow run pipeline.json} in a JVM of its
 * own, as the {@code tapflow} launcher starts it, copies the {@link ChangeLoad} table ({@code rows} rows) from MariaDB
 * into PostgreSQL and then streams changes at {@code rate} for {@code streamSeconds}. The harness reads the process's
 * resident set from {@code /proc/<pid>/status} every 200 ms (VmRSS) and its peak (VmHWM, which the kernel keeps) just
 * before it stops the run with SIGTERM. One run per entry of {@code heaps}: {@code default} (no -Xmx, as the launcher
 * does: the JVM takes a quarter of the machine's memory as its maximum heap) or a size for -Xmx.
 *
 * <p>Settings: rows (1000000), rate (5000 changes/s), streamSeconds (60), writers (4), rowsPerTransaction (10),
 * heaps ("default,512m"), limitMb (1024, the aim), workDir.
 */
public final class MemoryBenchmark {
    private static final String MYSQL_PASSWORD = "BENCH_MYSQL_PASSWORD";
    private static final String PG_PASSWORD = "BENCH_PG_PASSWORD";

    private final BenchConfig config;
    private final int rows;
    private final List<String> results = new ArrayList<>();

    private MemoryBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 1_000_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("MemoryBenchmark", config);
        Bench.runAndExit(() -> new MemoryBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        MariaDbServer mariaDb = null;
        PostgresServer postgres = null;
        try {
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            postgres = PostgresServer.start(work.resolve("postgres"));
            mariaDb.createDatabase(Bench.DATABASE);
            ChangeLoad load = new ChangeLoad(mariaDb, rows);
            Bench.log(String.format("loading %,d rows into MariaDB", rows));
            load.createTable();
            Path home = work.resolve("tapflow-home");
            Map<String, String> env = Map.of(MYSQL_PASSWORD, mariaDb.cdcPassword(), PG_PASSWORD, postgres.password());
            tapflow(home, env, "datasource", "add", "src", "--replace", "--type", "mysql", "-o", "host=" + mariaDb.host(),
                    "-o", "port=" + mariaDb.port(), "-o", "username=" + mariaDb.cdcUser(),
                    "-o", "password=${env:" + MYSQL_PASSWORD + "}", "-o", "database=" + Bench.DATABASE);
            int run = 0;
            for (String heap : config.string("heaps", "default,512m").split(",")) {
                run++;
                String database = "memory_" + run;
                postgres.createDatabase(database);
                tapflow(home, env, "datasource", "add", "dst" + run, "--replace", "--type", "postgres", "-o", "host=" + postgres.host(),
                        "-o", "port=" + postgres.port(), "-o", "username=" + postgres.user(),
                        "-o", "password=${env:" + PG_PASSWORD + "}", "-o", "database=" + database);
                measure(home, env, heap.trim(), run, database, postgres, load);
            }
            System.out.println();
            System.out.printf("== tapflow run, one table MariaDB -> PostgreSQL on embedded Flink: %,d snapshot rows, then %,d "
                    + "changes/s asked for %d s; aim: peak RSS <= %d MB ==%n", rows, config.integer("rate", 5000),
                    config.integer("streamSeconds", 60), config.integer("limitMb", 1024));
            results.forEach(System.out::println);
            System.out.println("load average now: " + Bench.loadAverage());
        } finally {
            Bench.closeQuietly(mariaDb, postgres);
        }
    }

    private void measure(Path home, Map<String, String> env, String heap, int run, String database, PostgresServer postgres,
                         ChangeLoad load) throws Exception {
        Path pipeline = Files.writeString(home.resolve("memory-" + run + ".json"), """
                {"name": "memory-%d", "sources": [{"datasource": "src", "tables": ["%s"]}],
                 "target": {"datasource": "dst%d", "table": "%s"}}
                """.formatted(run, ChangeLoad.TABLE, run, ChangeLoad.TABLE));
        List<String> jvm = heap.equals("default") ? List.of() : List.of("-Xmx" + heap);
        Process child = start(home, env, jvm, "run", pipeline.toString(), "--web-port", "-1");
        long pid = child.pid();
        Bench.log("tapflow run (pid " + pid + ", heap " + heap + ") started");
        long[] peakSampled = {0};
        try (Connection c = postgres.connect(database)) {
            long start = System.nanoTime();
            Bench.SqlCondition snapshotDone = () -> {
                peakSampled[0] = Math.max(peakSampled[0], kb(pid, "VmRSS"));
                if (!child.isAlive()) {
                    throw new IllegalStateException("tapflow run ended with exit code " + child.exitValue() + "; see " + log(home));
                }
                return Bench.queryLong(c, "SELECT count(*) FROM pg_tables WHERE tablename = '" + ChangeLoad.TABLE + "'") > 0
                        && Bench.queryLong(c, "SELECT count(*) FROM " + ChangeLoad.TABLE) >= rows;
            };
            Bench.await(30 * 60_000L, 200, snapshotDone, null, "the snapshot");
            double snapshotSeconds = (System.nanoTime() - start) / 1e9;
            long afterSnapshot = kb(pid, "VmHWM");
            Sampler sampler = new Sampler(pid);
            sampler.start();
            BenchConfig streaming = config.with("warmupSeconds", "0")
                    .with("measureSeconds", String.valueOf(config.integer("streamSeconds", 60)))
                    .with("writers", String.valueOf(config.integer("writers", 4)))
                    .with("rowsPerTransaction", String.valueOf(config.integer("rowsPerTransaction", 10)));
            ChangeLoad.Phase phase = load.run(streaming, config.integer("rate", 5000), null);
            Bench.await(5 * 60_000L, 200, () -> Bench.queryLong(c, "SELECT coalesce(max(client_ts), 0) FROM "
                    + ChangeLoad.TABLE) >= phase.lastClientTs() && child.isAlive(), null, "the last change");
            sampler.interrupt();
            sampler.join();
            long peak = kb(pid, "VmHWM");
            long limitKb = config.integer("limitMb", 1024) * 1024L;
            String line = String.format("heap %-8s peak RSS (VmHWM) %,6d MB (%,d MB when the snapshot was in the target, %.1f s "
                    + "after the JVM started; RSS while streaming up to %,d MB); streamed %,.0f changes/s (asked %,d): %s", heap, peak / 1024, afterSnapshot / 1024,
                    snapshotSeconds, Math.max(sampler.peakKb, peakSampled[0]) / 1024, phase.achieved(),
                    phase.targetRate(), phase.rateReached()
                            ? (peak <= limitKb ? "fits in " + limitKb / 1024 + " MB" : "does NOT fit in " + limitKb / 1024 + " MB")
                            : "no verdict: the load fell short of the rate asked");
            Bench.log(line);
            results.add(line);
        } finally {
            child.destroy();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** Samples VmRSS every 200 ms until interrupted, keeping the highest. */
    private static final class Sampler extends Thread {
        private final long pid;
        private volatile long peakKb;

        Sampler(long pid) {
            super("rss sampler");
            this.pid = pid;
        }

        @Override
        public void run() {
            try {
                while (!isInterrupted()) {
                    peakKb = Math.max(peakKb, kb(pid, "VmRSS"));
                    Thread.sleep(200);
                }
            } catch (InterruptedException | UncheckedIOException done) {
                // interrupted when the measurement ends; a vanished process ends it too
            }
        }
    }

    /** A field of /proc/<pid>/status in kB, e.g. VmRSS or VmHWM (the peak resident set). */
    static long kb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/status", e);
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    private static void tapflow(Path home, Map<String, String> env, String... args) throws Exception {
        Process p = start(home, env, List.of(), args);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tapflow " + String.join(" ", args) + " failed; see " + log(home));
        }
    }

    /**
     * Starts the tapflow CLI in a JVM of its own as the launcher script does: this JVM's classpath and Flink's
     * --add-opens list, plus the given options; output goes to a log file.
     */
    private static Process start(Path home, Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        Files.createDirectories(home);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
        command.addAll(List.of("-Dtapflow.home=" + home, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), "io.tapflow.cli.TapflowCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(home).toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Path log(Path home) {
        return home.resolve("tapflow-output.log");
    }
}
