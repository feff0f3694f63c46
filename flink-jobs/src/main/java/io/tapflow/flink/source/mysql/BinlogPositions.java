package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The server's binary log as positions: where it ends now, and what lies between two positions. */
final class BinlogPositions {
    /** Events looked at between two positions; more means a busy server, and the caller tries again. */
    private static final int MAX_EVENTS = 10_000;

    private BinlogPositions() {}

    /** The position the next event will be written at. */
    static BinlogPosition current(Connection c, String datasource) throws SQLException {
        try {
            return current(c, datasource, "SHOW MASTER STATUS");
        } catch (SQLException e) {
            // MySQL 8.4 removed SHOW MASTER STATUS in favour of SHOW BINARY LOG STATUS (1064: syntax error).
            if (e.getErrorCode() != 1064) {
                throw e;
            }
            return current(c, datasource, "SHOW BINARY LOG STATUS");
        }
    }

    private static BinlogPosition current(Connection c, String datasource, String statement) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(statement)) {
            if (!rs.next()) {
                throw new TapflowException("datasource '" + datasource + "': the server reports no binary log position "
                        + "(" + statement + " is empty); CDC needs binary logging on");
            }
            return new BinlogPosition(rs.getString("File"), rs.getLong("Position"));
        }
    }

    /**
     * Whether the binlog from {@code from} up to {@code to} holds no statement but transaction bounds, so no DDL: row
     * changes are row events, and every DDL is a statement (a Query event). False when unsure (another file, too many
     * events to look at).
     */
    static boolean noStatementsBetween(Connection c, BinlogPosition from, BinlogPosition to) throws SQLException {
        if (from.equals(to)) {
            return true;
        }
        if (!from.file().equals(to.file())) {
            return false;
        }
        String sql = "SHOW BINLOG EVENTS IN '" + from.file().replace("\\", "\\\\").replace("'", "''") + "' FROM "
                + from.position() + " LIMIT " + MAX_EVENTS;
        int events = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getLong("Pos") >= to.position()) {
                    return true;
                }
                if ("Query".equalsIgnoreCase(rs.getString("Event_type")) && !isTransactionBound(rs.getString("Info"))) {
                    return false;
                }
                events++;
            }
        }
        // The file ended (at or after `to`, which was its end a moment ago) unless the limit cut the events short.
        return events < MAX_EVENTS;
    }

    private static boolean isTransactionBound(String statement) {
        String s = statement == null ? "" : statement.trim().toUpperCase(Locale.ROOT);
        return s.equals("BEGIN") || s.equals("COMMIT") || s.startsWith("XA ");
    }
}
