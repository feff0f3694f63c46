package io.tapflow.cli;

import io.tapflow.cli.catalog.Catalog;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.source.postgres.PostgresReplicationNames;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tapflow run} as a user runs it, in its own JVM through the launcher (PostgreSQL → PostgreSQL): a second run of
 * the pipeline is refused while the first runs; Ctrl-C and SIGTERM stop it (exit 130 and 143) saying where it resumes,
 * not that it failed; the next run delivers the change made while it was stopped; {@code delete} refuses to remove
 * checkpoints without asking unless given --yes, then releases the replication slot and publication and removes them.
 */
class RunLifecycleITCase {
    private static final String NL = System.lineSeparator();

    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void runIsLockedStopsCleanlyResumesAndIsDeleted() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        String db = "cli_run_" + ProcessHandle.current().pid();
        pg.createDatabase(db);
        pg.createDatabase(db + "_t");
        Catalog catalog = new Catalog(cli.home());
        catalog.save(DataSource.of("postgres", "src").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(db));
        catalog.save(DataSource.of("postgres", "dst").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(db + "_t"));
        execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        String name = "items_run_" + ProcessHandle.current().pid();
        Path file = Files.writeString(cli.home().resolve("items.json"), """
                {"name": "%s", "sources": [{"datasource": "src", "tables": ["items"]}],
                 "target": {"datasource": "dst", "table": "items"}, "settings": {"parallelism": 1, "checkpointIntervalMs": 500}}
                """.formatted(name));
        Path checkpoints = cli.home().resolve("checkpoints").resolve(name);

        LauncherProcess first = LauncherProcess.start(cli.home(), "run", file.toString(), "--web-port", "-1");
        first.await(() -> first.output().contains("pipeline '" + name + "' running"), "running");
        assertThat(cli.run("run", file.toString(), "--web-port", "-1")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("error: pipeline '" + name + "' is already running (pid " + first.pid()
                + "); stop it first" + NL);
        assertThat(cli.run("delete", name, "--yes")).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: pipeline '" + name + "' is running (pid " + first.pid() + ", 'tapflow run')");
        first.await(() -> "b".equals(targetName(db, 2)), "snapshot in the target");
        long snapshotDone = System.currentTimeMillis();
        first.await(() -> Checkpoints.latest(checkpoints).map(p -> Checkpoints.completedAtMillis(p) > snapshotDone)
                .orElse(false), "a checkpoint after the snapshot");

        assertThat(first.stop("INT")).as("exit code after Ctrl-C").isEqualTo(130);
        assertThat(first.output()).contains("pipeline '" + name + "' stopped; 'tapflow run' resumes it from checkpoint "
                + checkpoints).doesNotContain("error");

        execute(db, "UPDATE items SET name = 'while stopped' WHERE id = 2");
        long start = System.nanoTime();
        LauncherProcess second = LauncherProcess.start(cli.home(), "run", file.toString(), "--web-port", "-1");
        second.await(() -> second.output().contains("running"), "running");
        long running = System.nanoTime();
        second.await(() -> "while stopped".equals(targetName(db, 2)), "the change made while stopped");
        System.out.printf("tapflow run resumed: running after %d ms, the change made while stopped arrived after %d ms%n",
                (running - start) / 1_000_000, (System.nanoTime() - start) / 1_000_000);
        assertThat(second.output()).contains("resumed from " + checkpoints);
        assertThat(second.stop("TERM")).as("exit code after SIGTERM").isEqualTo(143);
        assertThat(second.output()).contains("pipeline '" + name + "' stopped").doesNotContain("error");

        assertThat(cli.run("delete", name)).isEqualTo(1);
        assertThat(cli.err()).contains("add --yes to delete without asking");
        assertThat(checkpoints).exists();
        assertThat(cli.run("delete", name, "--yes")).isZero();
        String slot = PostgresReplicationNames.slotName(name);
        assertThat(cli.out()).contains("released replication slot " + slot + " on datasource src",
                "dropped publication " + PostgresReplicationNames.publicationName(name) + " on datasource src",
                "deleted pipeline '" + name + "': removed its checkpoints " + checkpoints);
        assertThat(query(db, "SELECT slot_name FROM pg_replication_slots WHERE database = current_database()")).isEmpty();
        assertThat(checkpoints).doesNotExist();
    }

    /** A query source is read once per run: the run ends by itself, says so, and the next run reads the query again. */
    @Test
    void aQueryRunsOnceFinishesAndIsReadAgainByTheNextRun() throws Exception {
        PostgresServer pg = SharedServers.postgres();
        String db = "cli_query_" + ProcessHandle.current().pid();
        pg.createDatabase(db);
        new Catalog(cli.home()).save(DataSource.of("postgres", "qsrc").host(pg.host()).port(pg.port()).username(pg.user())
                .password(pg.password()).database(db));
        execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text, kind text)",
                "INSERT INTO items VALUES (1, 'a', 'x'), (2, 'b', 'x'), (3, 'c', 'y')");
        Path file = Files.writeString(cli.home().resolve("kinds.json"), """
                {"name": "kinds", "sources": [{"datasource": "qsrc", "tables": ["kinds"],
                  "query": "SELECT kind, count(*) AS n FROM items GROUP BY kind"}],
                 "target": {"datasource": "qsrc", "table": "kinds", "key": ["kind"]}}
                """);
        assertThat(cli.run("run", file.toString(), "--web-port", "-1")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("created target table kinds", "pipeline 'kinds' running, reading its query once",
                "pipeline 'kinds' finished: every row of its query result is written");
        assertThat(query(db, "SELECT kind || '=' || n FROM kinds ORDER BY kind")).containsExactly("x=2", "y=1");

        execute(db, "INSERT INTO items VALUES (4, 'd', 'y'), (5, 'e', 'z')");
        assertThat(cli.run("run", file.toString(), "--web-port", "-1")).as(cli.err()).isZero();
        assertThat(query(db, "SELECT kind || '=' || n FROM kinds ORDER BY kind")).containsExactly("x=2", "y=2", "z=1");
    }

    private static String targetName(String db, int id) {
        try {
            List<String> names = query(db + "_t", "SELECT name FROM items WHERE id = " + id);
            return names.isEmpty() ? null : names.get(0);
        } catch (SQLException e) {
            return null; // the target table is created when the run starts
        }
    }

    private static void execute(String db, String... statements) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<String> query(String db, String sql) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
