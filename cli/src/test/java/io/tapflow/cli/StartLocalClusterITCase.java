package io.tapflow.cli;

import static io.tapflow.cli.FlinkClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow start p.json --yes} with no cluster running starts the local one (at the default URL) and runs the
 * pipeline on it, its classes loaded from the copy of the job jar on the TaskManager's class path; a tapflow of another
 * build is refused on that cluster; {@code tapflow cluster stop} ends it. The datasources hold no secret (a MariaDB user without a
 * password, PostgreSQL trusting local clients), since a local cluster started by the CLI has no extra environment.
 */
class StartLocalClusterITCase {
    private static final String USER = "tapflow_nopw";
    private static final int ROWS = 300;

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void yesStartsTheLocalClusterAndRunsThePipeline() throws Exception {
        try (ServerSocket probe = new ServerSocket(FlinkOptions.DEFAULT_PORT)) {
            // Only checks the default port is free: the test is about finding no cluster there.
        }
        String db = "yes_" + ProcessHandle.current().pid();
        MariaDbServer mariaDb = SharedServers.mariaDb();
        PostgresServer pg = SharedServers.postgres();
        mariaDb.createDatabase(db);
        pg.createDatabase(db);
        admin(mariaDb, db, ItemTables.DDL);
        ItemTables.insert(db, 1, ROWS);
        for (String host : List.of("%", "localhost")) {
            admin(mariaDb, db, "CREATE USER IF NOT EXISTS '" + USER + "'@'" + host + "'",
                    "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + USER + "'@'" + host + "'");
        }
        try {
            assertThat(cli.run("datasource", "add", "src", "--type", "mariadb", "-o", "host=" + mariaDb.host(),
                    "-o", "port=" + mariaDb.port(), "-o", "username=" + USER, "-o", "database=" + db)).as(cli.err()).isZero();
            assertThat(cli.run("datasource", "add", "dst", "--type", "postgres", "-o", "host=" + pg.host(),
                    "-o", "port=" + pg.port(), "-o", "username=" + pg.user(), "-o", "database=" + db)).as(cli.err()).isZero();
            Path file = cli.home().resolve("yes.json");
            Files.writeString(file, """
                    {"name": "yes", "source": {"datasource": "src", "tables": ["item"]}, "target": {"datasource": "dst"},
                     "settings": {"parallelism": 1, "checkpointIntervalMs": 1000}}
                    """);

            assertThat(cli.run("start", file.toString())).as("without --yes and without a terminal: no question, an error")
                    .isEqualTo(1);
            assertThat(cli.err()).contains("no Flink cluster answers at " + FlinkOptions.DEFAULT_URL);

            assertThat(cli.run("start", file.toString(), "--yes")).as(cli.err()).isZero();
            assertThat(cli.out()).contains("started the local Flink cluster at " + FlinkOptions.DEFAULT_URL)
                    .contains("started pipeline 'yes' as job");
            await(Duration.ofMinutes(2), () -> ItemTables.readPostgres(db).size() == ROWS,
                    () -> "target has " + ItemTables.readPostgres(db).size() + " of " + ROWS + " rows");
            assertThat(cli.run("jobs")).as(cli.err()).isZero();
            assertThat(cli.out()).contains("yes").contains("RUNNING");
            assertJobJarOnTheTaskManagersClassPath();
            refusesAJobOfAnotherBuild(file);
        } finally {
            assertThat(cli.run("cluster", "stop")).as(cli.err()).isZero();
            for (String host : List.of("%", "localhost")) {
                admin(mariaDb, db, "DROP USER IF EXISTS '" + USER + "'@'" + host + "'");
            }
        }
    }

    /** The job ran with its classes from the TaskManager's class path: a copy of this build's job jar, named by checksum. */
    private void assertJobJarOnTheTaskManagersClassPath() throws Exception {
        Path lib = cli.home().resolve("cluster").resolve("lib");
        List<Path> copies;
        try (var files = Files.list(lib)) {
            copies = files.toList();
        }
        assertThat(copies).hasSize(1);
        Path copy = copies.get(0);
        assertThat(copy.getFileName().toString()).matches("tapflow-job-[0-9a-f]{16}\\.jar");
        assertThat(Files.mismatch(copy, Path.of(System.getProperty("tapflow.job.jar")))).as("the copy equals the job jar").isEqualTo(-1);
        String log = Files.readString(cli.home().resolve("cluster").resolve("log").resolve("taskmanager-1.log"));
        assertThat(log.lines().filter(l -> l.contains("Classpath:")).findFirst()).hasValueSatisfying(l -> assertThat(l).contains(copy.toString()));
    }

    /** A tapflow of another build (its job jar differs) must not run its pipeline on the code of the cluster's copy. */
    private void refusesAJobOfAnotherBuild(Path file) throws Exception {
        String jobJar = System.getProperty("tapflow.job.jar");
        Path otherBuild = Files.writeString(cli.home().resolve("other-build.jar"), "another build's job jar");
        System.setProperty("tapflow.job.jar", otherBuild.toString());
        try {
            Path other = Files.writeString(cli.home().resolve("other.json"), Files.readString(file).replace("\"yes\"", "\"other\""));
            assertThat(cli.run("start", other.toString())).isEqualTo(1);
            assertThat(cli.err()).contains("runs the job classes of another tapflow build")
                    .contains("restart it with 'tapflow cluster stop' and 'tapflow cluster start'");
        } finally {
            System.setProperty("tapflow.job.jar", jobJar);
        }
    }

    private static void admin(MariaDbServer mariaDb, String db, String... statements) throws Exception {
        try (Connection c = mariaDb.connectAsAdmin(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
