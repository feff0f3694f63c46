package io.tapflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.JarRun;
import io.tapflow.cli.flink.JobJar;
import io.tapflow.cluster.LocalClusterSettings;
import io.tapflow.cluster.LocalFlinkCluster;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.servers.Directories;
import io.tapflow.servers.FreePorts;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Snapshot throughput of the same pipeline at different parallelisms on a multi-process Flink cluster (one JobManager
 * and, as {@code tapflow cluster start} by default, one TaskManager JVM with four slots), submitted through the REST API as {@code tapflow start}
 * does: time from submission until PostgreSQL holds every row, and the CPU the JobManager and TaskManagers used per row.
 *
 * <p>Fairness: before the measured runs every parallelism runs once unmeasured ({@code warmup}), so no measurement
 * pays the cluster's first-job class loading and JIT alone; the order of the parallelisms alternates from run to run
 * (1,2 then 2,1), so a drift of the machine's load does not always favour the same one; every run reads the same table.
 *
 * <p>Settings ({@code --name=value}): rows (1000000), parallelism (list, "1,2"), runs (1), warmup (1), taskManagers (1),
 * slots (4), jobJarOnClassPath (true: the job jar on the TaskManagers' class path, as {@code tapflow cluster start} puts
 * it; false: each job loads it on its own), taskManagerJvmOptions (none; e.g. {@code -XX:StartFlightRecording=...}), bufferPoolMb (1024),
 * taskManagerMemory ("1536m"), timeoutMinutes (20), workDir (target/bench). Needs -Dtapflow.job.jar (run.sh sets it).
 */
public final class ClusterParallelismBenchmark {
    private static final String MYSQL_PASSWORD = "BENCH_MYSQL_PASSWORD";
    private static final String PG_PASSWORD = "BENCH_PG_PASSWORD";

    private final BenchConfig config;
    private final int rows;
    private final List<String> results = new ArrayList<>();

    private ClusterParallelismBenchmark(BenchConfig config) {
        this.config = config;
        this.rows = config.integer("rows", 1_000_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("ClusterParallelismBenchmark", config);
        Bench.runAndExit(() -> new ClusterParallelismBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        CpuMonitor cpu = new CpuMonitor(work);
        MariaDbServer mariaDb = null;
        PostgresServer postgres = null;
        LocalFlinkCluster cluster = null;
        try {
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            postgres = PostgresServer.start(work.resolve("postgres"));
            Bench.tuneMariaDb(mariaDb, config.integer("bufferPoolMb", 1024));
            mariaDb.createDatabase(Bench.DATABASE);
            try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE)) {
                Bench.log(String.format("loading %,d rows into MariaDB", rows));
                BenchTable.createAndLoad(c, rows);
            }
            LocalClusterSettings settings = LocalClusterSettings.of(work.resolve("cluster"), FreePorts.pick())
                    .withTaskManagers(config.integer("taskManagers", 1), config.integer("slots", 4));
            if (config.flag("jobJarOnClassPath", true)) {
                // As 'tapflow cluster start' does: the job's classes loaded once per TaskManager, not once per job.
                settings = JobJar.locate().onTaskManagerClassPath(settings);
            }
            cluster = LocalFlinkCluster.start(settings
                    .withFlinkConfig("taskmanager.memory.process.size", config.string("taskManagerMemory", "1536m"))
                    .withFlinkConfig("env.java.opts.taskmanager", config.string("taskManagerJvmOptions", ""))
                    // On a machine shared with other work a TaskManager can miss heartbeats for the cluster's 10 s:
                    // a restart would end the run, and the measurement is of throughput, not of failure detection.
                    .withFlinkConfig("heartbeat.timeout", "60000")
                    .withEnvironment(Map.of(MYSQL_PASSWORD, mariaDb.cdcPassword(), PG_PASSWORD, postgres.password())));
            Bench.log("Flink cluster at " + cluster.restUrl() + ": JobManager pid " + cluster.jobManagerPids().get(0)
                    + ", TaskManager pids " + cluster.taskManagerPids());
            FlinkRestClient flink = new FlinkRestClient(cluster.restUrl());
            String jarId = JobJar.locate().ensureUploaded(flink);
            List<Long> flinkPids = new ArrayList<>(cluster.jobManagerPids());
            flinkPids.addAll(cluster.taskManagerPids());
            List<Integer> parallelisms = config.integers("parallelism", "1,2");
            for (int warmup = 1; warmup <= config.integer("warmup", 1); warmup++) {
                for (int p : parallelisms) {
                    measure(flink, jarId, mariaDb, postgres, cpu, flinkPids, p, "warm-up " + warmup, false);
                }
            }
            for (int run = 1; run <= config.integer("runs", 1); run++) {
                List<Integer> order = new ArrayList<>(parallelisms);
                if (run % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (int p : order) {
                    measure(flink, jarId, mariaDb, postgres, cpu, flinkPids, p, "run " + run, true);
                }
            }
            System.out.println("== results (rows/s from submission until every row is in PostgreSQL) ==");
            results.forEach(System.out::println);
            if (config.string("taskManagerJvmOptions", "").contains("StartFlightRecording")) {
                dumpFlightRecordings(cluster, work);
            }
        } finally {
            Bench.closeQuietly(mariaDb, postgres, cluster);
            keepClusterLogs(work);
            Directories.deleteRecursively(work.resolve("cluster"));
        }
    }

    private void measure(FlinkRestClient flink, String jarId, MariaDbServer mariaDb, PostgresServer postgres, CpuMonitor cpu,
                         List<Long> flinkPids, int parallelism, String run, boolean recorded) throws Exception {
        String database = "bench_cluster_p" + parallelism + "_" + run.replaceAll("[^a-z0-9]", "");
        postgres.createDatabase(database);
        DataSource source = DataSource.of("mysql", "bench-mariadb").host(mariaDb.host()).port(mariaDb.port())
                .username(mariaDb.cdcUser()).password("${env:" + MYSQL_PASSWORD + "}").database(Bench.DATABASE);
        DataSource target = DataSource.of("postgres", "bench-postgres").host(postgres.host()).port(postgres.port())
                .username(postgres.user()).password("${env:" + PG_PASSWORD + "}").database(database);
        Pipeline pipeline = Pipeline.named("cluster-p" + parallelism + "-" + run.replaceAll("[^a-z0-9]", "")).readFrom(source.table(BenchTable.NAME))
                .writeTo(target).parallelism(parallelism);
        String spec = DefinitionJson.toJson(JobSpec.of(pipeline, source, target));
        Bench.log("parallelism " + parallelism + ", " + run + ": submitting");
        CpuMonitor.Sample cpuStart = cpu.sample();
        double flinkCpuStart = CpuMonitor.cpuSeconds(flinkPids);
        long start = System.nanoTime();
        String jobId = flink.runJar(jarId, new JarRun(JobJar.ENTRY_CLASS, List.of("--pipeline-json", spec), null, false));
        long timeoutNanos = config.integer("timeoutMinutes", 20) * 60_000_000_000L;
        try (Connection c = postgres.connect(database)) {
            while (true) {
                long count = tableExists(c) ? Bench.queryLong(c, "SELECT count(*) FROM " + BenchTable.NAME) : 0;
                if (count >= rows) {
                    break;
                }
                JsonNode job = flink.job(jobId);
                if (!"RUNNING".equals(job.path("state").asText()) && !"CREATED".equals(job.path("state").asText())
                        && !"INITIALIZING".equals(job.path("state").asText())) {
                    throw new IllegalStateException("job " + jobId + " is " + job.path("state").asText());
                }
                if (System.nanoTime() - start > timeoutNanos) {
                    throw new IllegalStateException("the job did not copy " + rows + " rows in time");
                }
                cpu.observe();
                Thread.sleep(pollMillis(count, System.nanoTime() - start));
            }
        } finally {
            flink.cancel(jobId);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double flinkMicrosPerRow = (CpuMonitor.cpuSeconds(flinkPids) - flinkCpuStart) * 1e6 / rows;
        String line = String.format("parallelism %d, %s: %,d rows in %.2f s = %s rows/s (%s; Flink JVMs %.1f us CPU/row)",
                parallelism, run, rows, seconds, Bench.rate(rows / seconds), cpu.since(cpuStart), flinkMicrosPerRow);
        Bench.log(line);
        if (recorded) {
            results.add(line);
        }
        awaitCancelled(flink, jobId);
    }

    /**
     * How long to wait before counting again: a count of a large table costs PostgreSQL CPU that the job then lacks, so
     * it waits for about half the time the rows still missing should take at the rate so far, but checks at least every
     * 500 ms and, near the end, every 50 ms, so the end of a run is seen within 50 ms rather than 500.
     */
    private long pollMillis(long count, long elapsedNanos) {
        if (count == 0) {
            return 100;
        }
        double remainingMillis = (rows - count) * (elapsedNanos / 1e6) / count;
        return Math.max(50, Math.min(500, (long) (remainingMillis / 2)));
    }

    /**
     * Writes each TaskManager's flight recording to cluster-log/taskmanager-N.jfr while the process still runs: at
     * shutdown a busy machine may take longer than the cluster waits, and a recording dumped on exit would be lost.
     */
    private static void dumpFlightRecordings(LocalFlinkCluster cluster, Path work) throws Exception {
        Path kept = work.resolve("cluster").resolve("log");
        List<Long> pids = cluster.taskManagerPids();
        for (int i = 0; i < pids.size(); i++) {
            Path file = kept.resolve("taskmanager-" + (i + 1) + ".jfr");
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pids.get(i)), "JFR.dump", "filename=" + file).inheritIO().start();
            Bench.log("flight recording of TaskManager " + (i + 1) + ": " + file + " (jcmd exit " + jcmd.waitFor() + ")");
        }
    }

    /** The Flink processes' logs (and JFR recordings written there) outlive the cluster's directory, in cluster-log/. */
    private static void keepClusterLogs(Path work) throws java.io.IOException {
        Path logs = work.resolve("cluster").resolve("log");
        Path kept = work.resolve("cluster-log");
        Directories.deleteRecursively(kept);
        if (Files.isDirectory(logs)) {
            Files.move(logs, kept);
        }
    }

    private static boolean tableExists(Connection c) throws Exception {
        return Bench.queryLong(c, "SELECT count(*) FROM pg_tables WHERE tablename = '" + BenchTable.NAME + "'") > 0;
    }

    private static void awaitCancelled(FlinkRestClient flink, String jobId) throws InterruptedException {
        while (!"CANCELED".equals(flink.job(jobId).path("state").asText())) {
            Thread.sleep(200);
        }
    }
}
