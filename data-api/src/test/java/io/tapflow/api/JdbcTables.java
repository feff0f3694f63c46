package io.tapflow.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Fills the contract's tables over JDBC, the same SQL on PostgreSQL and MariaDB. */
final class JdbcTables {
    private JdbcTables() {}

    static void create(Connection c, String decimalType) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS customer");
            s.execute("DROP TABLE IF EXISTS events");
            s.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, country VARCHAR(2), balance "
                    + decimalType + " NOT NULL)");
            s.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, seq INT NOT NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer VALUES (?, ?, ?, ?)")) {
            for (int id = 1; id <= DataApiContract.CUSTOMERS; id++) {
                ps.setLong(1, id);
                ps.setString(2, DataApiContract.name(id));
                ps.setString(3, DataApiContract.country(id));
                ps.setBigDecimal(4, DataApiContract.balance(id));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events VALUES (?, ?)")) {
            for (int id = 1; id <= DataApiContract.EVENTS; id++) {
                ps.setLong(1, id);
                ps.setInt(2, seq(id));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Many rows share a seq, so the key decides their order. */
    static int seq(int id) {
        return Math.floorMod(id, 100);
    }

    static void insertEvent(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setInt(2, seq(id));
            ps.executeUpdate();
        }
    }

    static void deleteEvent(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    static boolean exists(Connection c, String table) throws SQLException {
        try (var rs = c.getMetaData().getTables(c.getCatalog(), null, table, null)) {
            return rs.next();
        }
    }
}
