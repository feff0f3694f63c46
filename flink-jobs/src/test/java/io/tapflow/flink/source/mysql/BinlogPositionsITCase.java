package io.tapflow.flink.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the binlog holds between two positions, read as the CDC user: row changes alone let the table schemas read in
 * between stand for the first position; a DDL statement does not.
 */
class BinlogPositionsITCase {
    private static final String DB = "binlog_pos_" + ProcessHandle.current().pid();
    private static DataSource ds;

    @BeforeAll
    static void table() throws Exception {
        MariaDbServer m = SharedServers.mariaDb();
        m.createDatabase(DB);
        ds = DataSource.of("mysql", "binlog-pos").host(m.host()).port(m.port()).username(m.cdcUser())
                .password(m.cdcPassword()).database(DB).resolved();
        admin("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
    }

    @Test
    void rowChangesAloneHoldNoStatement() throws Exception {
        try (Connection c = MySqlConnections.open(ds)) {
            BinlogPosition before = BinlogPositions.current(c, "binlog-pos");
            assertThat(BinlogPositions.noStatementsBetween(c, before, before)).isTrue();
            admin("INSERT INTO t VALUES (1, 'a'), (2, 'b')", "UPDATE t SET v = 'c' WHERE id = 1", "DELETE FROM t WHERE id = 2");
            BinlogPosition after = BinlogPositions.current(c, "binlog-pos");
            assertThat(after).isNotEqualTo(before);
            assertThat(BinlogPositions.noStatementsBetween(c, before, after)).as(events(c, before)).isTrue();
        }
    }

    @Test
    void aDdlBetweenIsSeen() throws Exception {
        try (Connection c = MySqlConnections.open(ds)) {
            BinlogPosition before = BinlogPositions.current(c, "binlog-pos");
            admin("INSERT INTO t VALUES (10, 'x')", "ALTER TABLE t ADD COLUMN note VARCHAR(10)",
                    "INSERT INTO t VALUES (11, 'y', 'n')", "ALTER TABLE t DROP COLUMN note");
            BinlogPosition after = BinlogPositions.current(c, "binlog-pos");
            assertThat(BinlogPositions.noStatementsBetween(c, before, after)).as(events(c, before)).isFalse();
        }
    }

    /** The binlog's events from a position on, for a failure's message. */
    private static String events(Connection c, BinlogPosition from) throws Exception {
        StringBuilder events = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + from.file()
                + "' FROM " + from.position())) {
            while (rs.next()) {
                events.append(rs.getLong("Pos")).append(' ').append(rs.getString("Event_type")).append(": ")
                        .append(rs.getString("Info")).append('\n');
            }
        }
        return events.toString();
    }

    private static void admin(String... statements) throws Exception {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(DB); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
