package io.tapflow.flink;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.MongoTestServer;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Datasources on the shared real servers, each test with its own fresh database. */
final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {}

    static String freshName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    static DataSource mysqlSource(String database) throws SQLException {
        MariaDbServer m = SharedServers.mariaDb();
        m.createDatabase(database);
        return DataSource.of("mysql", "src-" + database).host(m.host()).port(m.port())
                .username(m.cdcUser()).password(m.cdcPassword()).database(database);
    }

    /** A fresh MariaDB database as a target, reached as the server's admin. */
    static DataSource mysqlTarget(String database) throws SQLException {
        MariaDbServer m = SharedServers.mariaDb();
        m.createDatabase(database);
        return DataSource.of("mysql", "mysql-" + database).host(m.host()).port(m.port())
                .username(m.adminUser()).password(m.adminPassword()).database(database);
    }

    static DataSource postgresTarget(String database) throws SQLException {
        PostgresServer pg = SharedServers.postgres();
        pg.createDatabase(database);
        return DataSource.of("postgres", "pg-" + database).host(pg.host()).port(pg.port())
                .username(pg.user()).password(pg.password()).database(database);
    }

    /** A PostgreSQL datasource as a source: the shared server's superuser has REPLICATION. */
    static DataSource postgresSource(String database) throws SQLException {
        DataSource pg = postgresTarget(database);
        return new DataSource(pg.type(), "pgsrc-" + database, pg.options());
    }

    static void postgres(String database, String... statements) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static DataSource mongoTarget(String database) {
        MongoTestServer mongo = SharedServers.mongo();
        return DataSource.of("mongodb", "mongo-" + database).uri(mongo.connectionString()).database(database);
    }

    static void mysql(String database, String... statements) throws SQLException {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static LocalRunOptions runOptions(Path checkpointDir) {
        return new LocalRunOptions(checkpointDir, -1, null, SinkOptions.DEFAULTS);
    }

    /** Waits for the condition; fails at once when one of the jobs has stopped running. */
    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> state, RunningPipeline... jobs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (RunningPipeline job : jobs) {
                if (job.status().isTerminalState()) {
                    job.awaitTermination();
                    throw new AssertionError("pipeline " + job.name() + " ended: " + job.status());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s: " + state.get());
            }
            Thread.sleep(200);
        }
    }
}
