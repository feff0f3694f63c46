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
 * Snapshot throughput of the same pipeline at different parallelisms on a multi-process Flink cluster (one JobManager,
 * two TaskManager JVMs with two slots each), submitted through the REST API as {@code tapflow start} does: time from
 * submission until PostgreSQL holds every row.
 *
 * <p>Settings ({@code --name=value}): rows (1000000), parallelism (list, "1,2"), runs (1), bufferPoolMb (1024),
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
            cluster = LocalFlinkCluster.start(LocalClusterSettings.of(work.resolve("cluster"), FreePorts.pick())
                    .withTaskManagers(2, 2)
                    .withFlinkConfig("taskmanager.memory.process.size", config.string("taskManagerMemory", "1536m"))
                    .withEnvironment(Map.of(MYSQL_PASSWORD, mariaDb.cdcPassword(), PG_PASSWORD, postgres.password())));
            Bench.log("Flink cluster at " + cluster.restUrl() + ": JobManager pid " + cluster.jobManagerPids().get(0)
                    + ", TaskManager pids " + cluster.taskManagerPids());
            FlinkRestClient flink = new FlinkRestClient(cluster.restUrl());
            String jarId = JobJar.locate().ensureUploaded(flink);
            for (int run = 1; run <= config.integer("runs", 1); run++) {
                for (int p : config.integers("parallelism", "1,2")) {
                    measure(flink, jarId, mariaDb, postgres, cpu, p, run);
                }
            }
            System.out.println("== results (rows/s from submission until every row is in PostgreSQL) ==");
            results.forEach(System.out::println);
        } finally {
            Bench.closeQuietly(mariaDb, postgres, cluster);
            Directories.deleteRecursively(work.resolve("cluster"));
        }
    }

    private void measure(FlinkRestClient flink, String jarId, MariaDbServer mariaDb, PostgresServer postgres, CpuMonitor cpu,
                         int parallelism, int run) throws Exception {
        String database = "bench_cluster_p" + parallelism + "_r" + run;
        postgres.createDatabase(database);
        DataSource source = DataSource.of("mysql", "bench-mariadb").host(mariaDb.host()).port(mariaDb.port())
                .username(mariaDb.cdcUser()).password("${env:" + MYSQL_PASSWORD + "}").database(Bench.DATABASE);
        DataSource target = DataSource.of("postgres", "bench-postgres").host(postgres.host()).port(postgres.port())
                .username(postgres.user()).password("${env:" + PG_PASSWORD + "}").database(database);
        Pipeline pipeline = Pipeline.named("cluster-p" + parallelism + "-r" + run).readFrom(source.table(BenchTable.NAME))
                .writeTo(target).parallelism(parallelism);
        String spec = DefinitionJson.toJson(JobSpec.of(pipeline, source, target));
        Bench.log("parallelism " + parallelism + ", run " + run + ": submitting");
        CpuMonitor.Sample cpuStart = cpu.sample();
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
                Thread.sleep(500);
            }
        } finally {
            flink.cancel(jobId);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String line = String.format("parallelism %d, run %d: %,d rows in %.2f s = %s rows/s (%s)", parallelism, run, rows, seconds,
                Bench.rate(rows / seconds), cpu.since(cpuStart));
        Bench.log(line);
        results.add(line);
        awaitCancelled(flink, jobId);
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
