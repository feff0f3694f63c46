package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MariaDbServerITCase {

    private static final Path DIRECTORY = Path.of("target", "it", "mariadb-binlog");

    private static MariaDbServer server;

    @BeforeAll
    static void startServer() {
        server = MariaDbServer.start(DIRECTORY, true);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void writesRowBasedBinlog() throws SQLException {
        try (Connection connection = server.connectAsAdmin("")) {
            assertThat(variable(connection, "log_bin")).isEqualTo("ON");
            assertThat(variable(connection, "binlog_format")).isEqualTo("ROW");
            assertThat(variable(connection, "binlog_row_image")).isEqualTo("FULL");
        }
    }

    @Test
    void cdcUserReadsBinlogPositionButCannotWrite() throws SQLException {
        try (Connection connection =
                     DriverManager.getConnection(server.jdbcUrl(""), server.cdcUser(), server.cdcPassword());
             Statement statement = connection.createStatement()) {
            try (ResultSet status = statement.executeQuery("SHOW MASTER STATUS")) {
                assertThat(status.next()).isTrue();
                assertThat(status.getString("File")).startsWith("mysql-bin.");
            }
            assertThatThrownBy(() -> statement.execute("CREATE DATABASE not_allowed"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access denied");
        }
    }

    @Test
    void roundTripsFourByteUtf8() throws SQLException {
        server.createDatabase("utf8_check");
        server.createDatabase("utf8_check");
        String text = "caf\u00e9 \uD83D\uDE00";
        try (Connection connection = server.connectAsAdmin("utf8_check")) {
            connection.createStatement().execute("CREATE TABLE texts (id INT PRIMARY KEY, text VARCHAR(20))");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO texts VALUES (1, ?)")) {
                insert.setString(1, text);
                insert.executeUpdate();
            }
            try (ResultSet row = connection.createStatement().executeQuery("SELECT text FROM texts")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(text);
            }
        }
    }

    @Test
    void runsWithoutBinlogAndDeletesItsFilesOnClose() throws SQLException {
        Path directory = Path.of("target", "it", "mariadb-plain");
        try (MariaDbServer plain = MariaDbServer.start(directory, false)) {
            assertThat(directory.resolve("data")).isDirectory();
            try (Connection connection = plain.connectAsAdmin("")) {
                assertThat(variable(connection, "log_bin")).isEqualTo("OFF");
                assertThat(variable(connection, "time_zone")).isEqualTo("+00:00");
                assertThat(variable(connection, "character_set_server")).isEqualTo("utf8mb4");
            }
        }
        assertThat(directory).doesNotExist();
    }

    private static String variable(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SHOW VARIABLES LIKE ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("variable %s", name).isTrue();
                return row.getString("Value");
            }
        }
    }
}
