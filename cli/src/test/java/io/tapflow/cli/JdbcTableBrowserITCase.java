package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shell's table browser on a real MariaDB: a query that waits long (here on a table another session holds locked)
 * ends when its thread is interrupted, as Ctrl-C does, and is cancelled in the database rather than left waiting.
 * ShellTerminalITCase does the same with PostgreSQL through the shell.
 */
class JdbcTableBrowserITCase {
    static final String DB = "browser_cancel";

    @Test
    void anInterruptCancelsACountWaitingOnALockedTable() throws Exception {
        MariaDbServer db = SharedServers.mariaDb();
        db.createDatabase(DB);
        try (Connection c = db.connectAsAdmin(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS busy");
            s.execute("CREATE TABLE busy (id INT PRIMARY KEY)");
        }
        TableBrowser browser = TableBrowser.of(new DataSource("mariadb", "maria", Map.of("host", db.host(), "port", String.valueOf(db.port()),
                "username", db.cdcUser(), "password", db.cdcPassword(), "database", DB)));
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

    /** The browser's counts of table busy that MariaDB is running. */
    private static int waitingCounts(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE INFO LIKE 'SELECT COUNT(*) FROM %busy%' AND ID <> CONNECTION_ID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
