package io.tapflow.cli;

import io.tapflow.cli.catalog.Catalog;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.cli.flink.JarRun;
import io.tapflow.cli.flink.JobJar;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.cluster.LocalClusterSettings;
import io.tapflow.cluster.LocalFlinkCluster;
import io.tapflow.servers.FreePorts;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A real multi-process Flink cluster (one JobManager and two TaskManager JVMs, the job jar on their class path as
 * {@code tapflow cluster start} puts it) and a tapflow home whose catalog holds
 * a MariaDB source and a PostgreSQL target, with passwords as {@code ${env:...}} references that only the cluster's
 * processes can resolve; commands run as a user types them and report what they print.
 */
final class FlinkClusterFixture implements AutoCloseable {
    static final String MYSQL_PASSWORD_VARIABLE = "TAPFLOW_IT_MYSQL_PASSWORD";
    static final String PG_PASSWORD_VARIABLE = "TAPFLOW_IT_PG_PASSWORD";

    final LocalFlinkCluster cluster;
    final String database;
    private final CliRun cli = new CliRun();

    FlinkClusterFixture(Path dir, String database) throws SQLException {
        this(dir, database, Map.of());
    }

    FlinkClusterFixture(Path dir, String database, Map<String, String> flinkConfig) throws SQLException {
        this.database = database;
        System.setProperty("tapflow.home", dir.resolve("home").toString());
        MariaDbServer mariaDb = SharedServers.mariaDb();
        PostgresServer pg = SharedServers.postgres();
        mariaDb.createDatabase(database);
        pg.createDatabase(database);
        LocalClusterSettings settings = LocalClusterSettings.of(dir.resolve("cluster"), FreePorts.pick())
                .withTaskManagers(2, 2)
                .withFlinkConfig("heartbeat.interval", "1000")
                .withFlinkConfig("heartbeat.timeout", "5000")
                .withEnvironment(Map.of(MYSQL_PASSWORD_VARIABLE, mariaDb.cdcPassword(), PG_PASSWORD_VARIABLE, pg.password()));
        for (Map.Entry<String, String> e : flinkConfig.entrySet()) {
            settings = settings.withFlinkConfig(e.getKey(), e.getValue());
        }
        // The job jar on the TaskManagers' class path, as 'tapflow cluster start' puts it.
        cluster = LocalFlinkCluster.start(JobJar.locate().onTaskManagerClassPath(settings));
        try {
            addDataSources(mariaDb, pg);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void addDataSources(MariaDbServer mariaDb, PostgresServer pg) {
        assertThat(tapflow("datasource", "add", "src", "--type", "mariadb", "-o", "host=" + mariaDb.host(), "-o", "port=" + mariaDb.port(),
                "-o", "username=" + mariaDb.cdcUser(), "-o", "password=${env:" + MYSQL_PASSWORD_VARIABLE + "}", "-o", "database=" + database))
                .as(err()).isZero();
        assertThat(tapflow("datasource", "add", "dst", "--type", "postgres", "-o", "host=" + pg.host(), "-o", "port=" + pg.port(),
                "-o", "username=" + pg.user(), "-o", "password=${env:" + PG_PASSWORD_VARIABLE + "}", "-o", "database=" + database))
                .as(err()).isZero();
    }

    /** Runs a tapflow command against this cluster; returns the exit code. */
    int tapflow(String... args) {
        return cli.run(withFlinkUrl(args));
    }

    private String[] withFlinkUrl(String[] args) {
        if (args[0].equals("datasource")) {
            return args;
        }
        String[] withUrl = java.util.Arrays.copyOf(args, args.length + 2);
        withUrl[args.length] = "--flink";
        withUrl[args.length + 1] = cluster.restUrl();
        return withUrl;
    }

    String out() {
        return cli.out();
    }

    String err() {
        return cli.err();
    }

    /**
     * Submits the job jar with a spec file, as {@code flink run tapflow-job.jar --pipeline spec.json} would (not through
     * {@code tapflow start}): the tapflow commands must handle jobs they did not start. Returns the job id.
     */
    String submitLikeFlinkRun(Path pipelineFile) throws Exception {
        Pipeline pipeline = DefinitionJson.pipeline(Files.readString(pipelineFile), pipelineFile.toString());
        Path spec = pipelineFile.resolveSibling(pipelineFile.getFileName() + ".spec.json");
        Files.writeString(spec, DefinitionJson.toJson(PipelineValidator.validate(pipeline, Catalog.open().all())));
        FlinkRestClient flink = new FlinkRestClient(cluster.restUrl());
        String jarId = flink.uploadJar(Path.of(System.getProperty("tapflow.job.jar")), "tapflow-job.jar");
        String jobId = flink.runJar(jarId, new JarRun(JobJar.ENTRY_CLASS, List.of("--pipeline", spec.toString()), null, false));
        assertThat(jobId).hasSize(32);
        return jobId;
    }

    /** Writes a pipeline file reading {@code table} from src into dst. */
    static Path pipelineFile(Path dir, String name, String table, int parallelism, String steps) throws Exception {
        Path file = dir.resolve(name + "-" + System.nanoTime() + ".json");
        Files.writeString(file, """
                {"name": "%s", "source": {"datasource": "src", "tables": ["%s"]}, "steps": [%s],
                 "target": {"datasource": "dst", "key": []}, "settings": {"parallelism": %d, "checkpointIntervalMs": 1000}}
                """.formatted(name, table, steps, parallelism));
        return file;
    }

    void mysql(String... statements) throws SQLException {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    void postgres(String... statements) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s: " + state.get());
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            System.clearProperty("tapflow.home");
        }
    }
}
