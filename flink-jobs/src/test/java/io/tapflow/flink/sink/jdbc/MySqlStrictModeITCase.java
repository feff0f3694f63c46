package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A MySQL/MariaDB server whose sql_mode is not strict stores a too-long string cut short and an out-of-range number
 * clamped, with only a warning. The target's connections must be strict whatever the server's default is, so such a
 * value fails its row instead of being altered silently.
 */
class MySqlStrictModeITCase {

    @Test
    void targetConnectionsAreStrictOnAServerWhoseDefaultModeIsNot() throws Exception {
        String db = "strictmode_" + ProcessHandle.current().pid();
        MariaDbServer m = SharedServers.mariaDb();
        m.createDatabase(db);
        DataSource ds = DataSource.of("mysql", "strict").host(m.host()).port(m.port()).username(m.adminUser())
                .password(m.adminPassword()).database(db).resolved();
        String serverMode;
        try (Connection admin = m.connectAsAdmin(db); Statement s = admin.createStatement()) {
            serverMode = single(s, "SELECT @@GLOBAL.sql_mode");
            s.execute("CREATE TABLE t (id int PRIMARY KEY, name varchar(5), n tinyint)");
            s.execute("SET GLOBAL sql_mode = ''");
        }
        try (Connection c = JdbcConnections.open(new MySqlDialect(), ds); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT @@SESSION.sql_mode")).contains("STRICT_");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1, 'too long', 1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("name");
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (2, 'ok', 300)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("'n'");
            assertThat(single(s, "SELECT count(*) FROM t")).isEqualTo("0");
        } finally {
            try (Connection admin = m.connectAsAdmin(db); Statement s = admin.createStatement()) {
                s.execute("SET GLOBAL sql_mode = '" + serverMode + "'");
            }
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
