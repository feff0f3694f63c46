package io.tapflow.cli;

import io.tapflow.cli.browse.TableBrowser;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.MongoTestServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The shell's table browser on a real MariaDB: a query that waits long (here on a table another session holds locked)
 * ends when its thread is interrupted, as Ctrl-C does, and is cancelled in the database rather than left waiting.
 * ShellTerminalITCase does the same with PostgreSQL through the shell. Also: what peek prints for dates and times.
 */
class JdbcTableBrowserITCase {
    static final String DB = "browser_cancel";

    @Test
    void anInterruptCancelsACountWaitingOnALockedTable() throws Exception {
        MariaDbServer db = SharedServers.mariaDb();
        TableBrowser browser = mariaDb("DROP TABLE IF EXISTS busy", "CREATE TABLE busy (id INT PRIMARY KEY)");
        try (Connection locker = db.connectAsAdmin(DB); Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLES busy WRITE");
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Thread counting = new Thread(() -> {
                try {
                    ended.complete(new AssertionError("counted " + browser.count("busy") + " rows of a locked table"));
                } catch (Throwable t) {
                    ended.complete(t);
                }
            });
            counting.start();
            while (waitingCounts(locker) == 0) {
                Thread.sleep(100);
            }
            counting.interrupt();
            // A guard, not a timing assertion: without the cancel the count waits as long as the lock is held.
            assertThat(ended.get(60, TimeUnit.SECONDS)).isInstanceOf(TapflowException.class).hasMessage("cancelled");
            assertThat(waitingCounts(locker)).isZero();
            lock.execute("UNLOCK TABLES");
        }
    }

    @Test
    void peekPrintsDatesAndTimesInIso8601() throws Exception {
        assertThat(mariaDb("SET time_zone = '+00:00'", "DROP TABLE IF EXISTS dated",
                "CREATE TABLE dated (id INT PRIMARY KEY, d DATE, t TIME, dt DATETIME, ts TIMESTAMP NULL)",
                "INSERT INTO dated VALUES (1, '2017-10-02', '19:32:00', '2017-10-02 19:32:06', '2017-10-02 19:32:06')")
                .peek("dated", 1)).containsExactly(Map.of("id", "1", "d", "2017-10-02", "t", "19:32:00", "dt", "2017-10-02T19:32:06",
                "ts", "2017-10-02T19:32:06"));

        PostgresServer pg = SharedServers.postgres();
        pg.createDatabase(DB);
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS dated");
            s.execute("CREATE TABLE dated (id INT PRIMARY KEY, dt TIMESTAMP, ts TIMESTAMPTZ)");
            s.execute("INSERT INTO dated VALUES (1, '2017-10-02 19:32:00', '2017-10-02 19:32:06.5+02')");
        }
        assertThat(TableBrowser.of(new DataSource("postgres", "pg", Map.of("host", pg.host(), "port", String.valueOf(pg.port()),
                "username", pg.user(), "password", pg.password(), "database", DB))).peek("dated", 1))
                .containsExactly(Map.of("id", "1", "dt", "2017-10-02T19:32:00", "ts", "2017-10-02T17:32:06.500Z"));

        MongoTestServer mongo = SharedServers.mongo();
        try (MongoClient client = MongoClients.create(mongo.connectionString())) {
            var dated = client.getDatabase(DB).getCollection("dated");
            dated.drop();
            dated.insertOne(new Document("_id", 1).append("at", Date.from(Instant.parse("2017-10-02T19:32:06Z"))));
        }
        assertThat(TableBrowser.of(new DataSource("mongodb", "mg", Map.of("uri", mongo.connectionString(), "database", DB)))
                .peek("dated", 1)).containsExactly(Map.of("_id", "1", "at", "2017-10-02T19:32:06Z"));
    }

    /** A browser of database DB on the shared MariaDB, after these statements ran there as admin. */
    private static TableBrowser mariaDb(String... statements) throws SQLException {
        MariaDbServer db = SharedServers.mariaDb();
        db.createDatabase(DB);
        try (Connection c = db.connectAsAdmin(DB); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return TableBrowser.of(new DataSource("mariadb", "maria", Map.of("host", db.host(), "port", String.valueOf(db.port()),
                "username", db.cdcUser(), "password", db.cdcPassword(), "database", DB)));
    }

    /** The browser's counts of table busy that MariaDB is running. */
    private static int waitingCounts(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE INFO LIKE 'SELECT COUNT(*) FROM %busy%' AND ID <> CONNECTION_ID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
