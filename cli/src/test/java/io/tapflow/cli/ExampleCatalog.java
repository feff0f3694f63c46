package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A fresh MariaDB and PostgreSQL database of one name, and the examples' datasources (demo-mysql, demo-pg) in the catalog. */
final class ExampleCatalog {
    private ExampleCatalog() {}

    /** Creates both databases, runs the SQL in MariaDB (statements split at ';', lines starting "--" left out). */
    static void setUp(CliRun cli, String db, String sql) throws Exception {
        MariaDbServer mysql = SharedServers.mariaDb();
        PostgresServer pg = SharedServers.postgres();
        mysql.createDatabase(db);
        pg.createDatabase(db);
        String statements = sql.lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n"));
        try (Connection c = mysql.connectAsAdmin(db); Statement s = c.createStatement()) {
            for (String q : Arrays.stream(statements.split(";")).filter(q -> !q.isBlank()).toList()) {
                s.execute(q);
            }
        }
        assertThat(cli.run("datasource", "add", "demo-mysql", "--type", "mysql", "-o", "host=" + mysql.host(), "-o", "port=" + mysql.port(),
                "-o", "username=" + mysql.cdcUser(), "-o", "password=" + mysql.cdcPassword(), "-o", "database=" + db)).isZero();
        assertThat(cli.run("datasource", "add", "demo-pg", "--type", "postgres", "-o", "host=" + pg.host(), "-o", "port=" + pg.port(),
                "-o", "username=" + pg.user(), "-o", "password=" + pg.password(), "-o", "database=" + db)).isZero();
    }
}
