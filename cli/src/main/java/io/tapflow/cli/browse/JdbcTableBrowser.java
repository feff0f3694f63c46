package io.tapflow.cli.browse;

import io.tapflow.cli.Interruptibly;
import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.JdbcDialect;
import io.tapflow.flink.sink.jdbc.MySqlDialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Browses a MySQL/MariaDB database or a PostgreSQL schema through JDBC metadata and plain queries. */
final class JdbcTableBrowser implements TableBrowser {
    private final JdbcDialect dialect;
    private final DataSource ds;

    JdbcTableBrowser(JdbcDialect dialect, DataSource resolvedDataSource) {
        this.dialect = dialect;
        this.ds = resolvedDataSource;
    }

    @Override
    public List<String> tables() {
        return ConnectorFactories.get(ds.type()).listTables(ds);
    }

    @Override
    public List<Column> columns(String table) {
        TableBrowser.require(ds, table, tables());
        try (Connection c = JdbcConnections.open(dialect, ds)) {
            DatabaseMetaData meta = c.getMetaData();
            // MySQL's JDBC catalogs are its databases; PostgreSQL's tables live in a schema of the connected database.
            String catalog = dialect instanceof MySqlDialect ? ds.get("database") : null;
            String schema = dialect instanceof MySqlDialect ? null : ds.get("schema");
            Set<String> keys = new HashSet<>();
            try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, table)) {
                while (rs.next()) {
                    keys.add(rs.getString("COLUMN_NAME"));
                }
            }
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(catalog, schema, table, "%")) {
                while (rs.next()) {
                    String name = rs.getString("COLUMN_NAME");
                    columns.add(new Column(name, type(rs), keys.contains(name)));
                }
            }
            return columns;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** The type as the database names it, with length or precision where it has one, e.g. varchar(64), decimal(10,2). */
    private static String type(ResultSet column) throws SQLException {
        String name = column.getString("TYPE_NAME").toLowerCase();
        int size = column.getInt("COLUMN_SIZE");
        int digits = column.getInt("DECIMAL_DIGITS");
        String sized = name.contains("char") ? name + "(" + size + ")"
                : name.startsWith("decimal") || name.startsWith("numeric") ? name + "(" + size + "," + digits + ")" : name;
        return "NO".equals(column.getString("IS_NULLABLE")) ? sized + " not null" : sized;
    }

    @Override
    public List<Map<String, String>> peek(String table, int n) {
        // Only names the database lists reach SQL text, so a table argument cannot inject anything.
        TableBrowser.require(ds, table, tables());
        return query("SELECT * FROM " + dialect.qualifiedName(ds, table) + " LIMIT " + n, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, String>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), PeekValues.jdbc(rs, i));
                }
                rows.add(row);
            }
            return rows;
        });
    }

    @Override
    public long count(String table) {
        TableBrowser.require(ds, table, tables());
        return query("SELECT COUNT(*) FROM " + dialect.qualifiedName(ds, table), rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    /** Runs a query that Ctrl-C (an interrupt of the calling thread) cancels in the database, as a big or locked table needs. */
    private <T> T query(String sql, ResultReader<T> reader) {
        try (Connection c = JdbcConnections.open(dialect, ds); Statement s = c.createStatement()) {
            return Interruptibly.call(() -> {
                try (ResultSet rs = s.executeQuery(sql)) {
                    return reader.read(rs);
                }
            }, () -> cancel(s));
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    private static void cancel(Statement s) {
        try {
            s.cancel();
        } catch (SQLException e) {
            // The query may have ended meanwhile; closing the connection afterwards ends it in any case.
        }
    }

    /** Reads a query's result. */
    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
