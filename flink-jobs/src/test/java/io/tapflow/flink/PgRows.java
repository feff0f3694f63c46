package io.tapflow.flink;

import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of a PostgreSQL target table as text, comparable with rows computed in a test (numbers without trailing zeros). */
final class PgRows {
    private PgRows() {}

    static List<Map<String, String>> read(String database, String table, String orderBy) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM public.\"" + table + "\" ORDER BY " + orderBy)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i), text(rs, i, md.getColumnTypeName(i)));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return rows;
            }
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** Whether the table exists in schema public of the database. */
    static boolean tableExists(String database, String table) {
        try (Connection c = SharedServers.postgres().connect(database);
             ResultSet rs = c.getMetaData().getTables(null, "public", table, null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ResultSet rs, int i, String type) throws SQLException {
        if (rs.getObject(i) == null) {
            return null;
        }
        if (type.equals("numeric")) {
            return rs.getBigDecimal(i).stripTrailingZeros().toPlainString();
        }
        if (type.equals("timestamp")) {
            return rs.getObject(i, LocalDateTime.class).toString();
        }
        return rs.getString(i);
    }

    static String number(String decimal) {
        return new BigDecimal(decimal).stripTrailingZeros().toPlainString();
    }
}
