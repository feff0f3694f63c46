package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow shell} on a real pseudo-terminal (a tmux session), typed into key by key; the assertions are on what
 * the screen shows: the prompt, tab completion of names and of Flow steps, an error that does not end the shell,
 * Ctrl-C ending a Python statement and a database query that waits on a lock, and exit.
 */
class ShellTerminalITCase {
    static final String DB = "shell_tty";
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void aPersonAtTheTerminal() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        pg.createDatabase(DB);
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS busy");
            s.execute("CREATE TABLE busy (id INT PRIMARY KEY, note TEXT)");
        }
        assertThat(cli.run("datasource", "add", "pg-tty", "--type", "postgres", "-o", "host=" + pg.host(), "-o", "port=" + pg.port(),
                "-o", "username=" + pg.user(), "-o", "password=" + pg.password(), "-o", "database=" + DB)).isZero();
        try (TmuxShell shell = new TmuxShell(cli.home(), Map.of())) {
            assertThat(shell.screenUntil(s -> s.contains("tap>"))).startsWith("tap>"); // capture-pane drops trailing blanks

            shell.keys("use pg-t", "Tab");
            assertThat(shell.screenUntil(s -> s.contains("tap> use pg-tty"))).contains("tap> use pg-tty");
            shell.keys("Enter");
            assertThat(shell.screenUntil(s -> s.contains("using datasource"))).contains("using datasource 'pg-tty' (postgres)");

            shell.keys("frobnicate", "Enter");
            assertThat(shell.screenAtPrompt(s -> s.contains("error: unknown command"))).contains("error: unknown command 'frobnicate'");

            // Tab after a dot of a Python line offers the steps of a Flow.
            shell.keys("f = Flow('tty').read_from('pg-tty.busy').ex", "Tab");
            shell.screenUntil(s -> s.contains("tap> f = Flow('tty').read_from('pg-tty.busy').exclude("));
            shell.keys("'note')", "Enter");
            shell.keys("answer = 41", "Enter");
            shell.screenAtPrompt(s -> s.strip().endsWith("tap> answer = 41\ntap>"));

            // Ctrl-C ends the running statement, not the shell nor its Python session; the print shows it is running.
            shell.keys("import time; print('sleep' + 'ing'); time.sleep(600)", "Enter");
            shell.screenUntil(s -> s.contains("sleeping"));
            shell.keys("C-c");
            shell.screenAtPrompt(s -> s.contains("cancelled"));
            shell.keys("print('answer', answer + 1)", "Enter");
            shell.screenUntil(s -> s.contains("answer 42"));

            // Ctrl-C cancels a query in the database: here a count waiting on a table another session holds locked.
            try (Connection locker = pg.connect(DB); Statement lock = locker.createStatement()) {
                locker.setAutoCommit(false);
                lock.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
                shell.keys("count busy", "Enter");
                while (waitingCounts(pg) == 0) {
                    Thread.sleep(100);
                }
                shell.keys("C-c");
                shell.screenAtPrompt(s -> s.split("cancelled", -1).length == 3);
                // The prompt came back once the query had ended: it no longer waits in the database.
                assertThat(waitingCounts(pg)).isZero();
                locker.rollback();
            }

            shell.keys("show tables", "Enter");
            assertThat(shell.screenUntil(s -> s.contains("table(s) in"))).contains("1 table(s) in 'pg-tty'");

            shell.keys("exit", "Enter");
            shell.awaitExit();
        }
        assertThat(Files.readString(cli.home().resolve("shell_history"))).contains("frobnicate").contains("use pg-tty");
    }

    /** Counts of the shell's that PostgreSQL has waiting on a lock. */
    private static int waitingCounts(PostgresServer pg) throws SQLException {
        try (Connection c = pg.connect(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'SELECT COUNT(*) FROM %busy%'"
                     + " AND state = 'active' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
