package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresServerITCase {

    private static final Path DIRECTORY = Path.of("target", "it", "postgres");

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(DIRECTORY);
    }

    @AfterAll
    static void stopServerAndCheckCleanup() {
        server.close();
        assertThat(DIRECTORY).doesNotExist();
    }

    @Test
    void decodesWalLogically() throws SQLException {
        assertThat(queryOne("postgres", "SHOW wal_level")).isEqualTo("logical");
        assertThat(queryOne("postgres", "SHOW synchronous_commit")).isEqualTo("on");
    }

    @Test
    void createsDatabaseIdempotently() throws SQLException {
        server.createDatabase("orders");
        server.createDatabase("orders");

        assertThat(queryOne("orders", "SELECT current_database()")).isEqualTo("orders");
    }

    @Test
    void createsAndDropsPgoutputSlot() throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_logical_replication_slot('tapflow_check', 'pgoutput')");
            String plugin = queryOne("postgres",
                    "SELECT plugin FROM pg_replication_slots WHERE slot_name = 'tapflow_check'");
            assertThat(plugin).isEqualTo("pgoutput");

            statement.execute("SELECT pg_drop_replication_slot('tapflow_check')");
            assertThat(queryOne("postgres", "SELECT count(*) FROM pg_replication_slots")).isEqualTo("0");
        }
    }

    private static String queryOne(String database, String sql) throws SQLException {
        try (Connection connection = server.connect(database);
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            assertThat(row.next()).as(sql).isTrue();
            return row.getString(1);
        }
    }
}
