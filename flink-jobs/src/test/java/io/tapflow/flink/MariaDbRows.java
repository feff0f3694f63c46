package io.tapflow.flink;

import io.tapflow.servers.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows of a table of the shared MariaDB server (a source, or a MySQL target), column name to text, by id. */
final class MariaDbRows {
    private MariaDbRows() {}

    /** Empty when the table does not exist (yet). */
    static List<Map<String, String>> read(String database, String table) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            return rows;
        }
        return rows;
    }

    /** Whether the table exists in the database. */
    static boolean tableExists(String database, String table) {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(database);
             ResultSet rs = c.getMetaData().getTables(database, null, table, null)) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** column name → COLUMN_TYPE of a MariaDB table, in column order. */
    static Map<String, String> columnTypes(String db, String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = '"
                     + db + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        }
        return types;
    }
}
