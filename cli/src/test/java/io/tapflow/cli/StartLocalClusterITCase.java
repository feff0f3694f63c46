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
 * pipeline on it; {@code tapflow cluster stop} ends it. The datasources hold no secret (a MariaDB user without a
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
        } finally {
            assertThat(cli.run("cluster", "stop")).as(cli.err()).isZero();
            for (String host : List.of("%", "localhost")) {
                admin(mariaDb, db, "DROP USER IF EXISTS '" + USER + "'@'" + host + "'");
            }
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
