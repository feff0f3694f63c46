package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TargetTable;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes a JDBC target ready before the job starts: checks existing tables can take keyed upserts (a primary key or
 * unique index on the key fields, every planned column present) and creates missing tables.
 */
final class JdbcTargetPreparer {
    private final JdbcDialect dialect;
    private final DataSource ds;
    private final boolean addMissingColumns;

    /** @param addMissingColumns whether a planned column an existing table lacks is added (schema changes while stopped) */
    JdbcTargetPreparer(JdbcDialect dialect, DataSource resolvedDataSource, boolean addMissingColumns) {
        this.dialect = dialect;
        this.ds = resolvedDataSource;
        this.addMissingColumns = addMissingColumns;
    }

    /** Checks everything first and creates tables only when no problem was found. */
    List<String> prepare(List<TargetTable> tables) {
        try (Connection c = JdbcConnections.open(dialect, ds)) {
            List<String> problems = new ArrayList<>();
            List<TargetTable> missing = new ArrayList<>();
            List<Map.Entry<String, SchemaChange>> added = new ArrayList<>();
            for (TargetTable t : tables) {
                Map<String, String> existingColumns = columns(c.getMetaData(), t.name());
                if (existingColumns.isEmpty()) {
                    missing.add(t);
                    continue;
                }
                for (Column col : t.columns()) {
                    if (existingColumns.containsKey(col.name())) {
                        continue;
                    }
                    if (addMissingColumns && !t.keyFields().contains(col.name())) {
                        added.add(Map.entry(t.name(), new SchemaChange.AddColumn(col)));
                    } else {
                        problems.add("target table " + t.name() + " has no column '" + col.name() + "'; add it or let tapflow create the table");
                    }
                }
                if (!hasUniqueKey(c.getMetaData(), t)) {
                    problems.add("target table " + t.name() + " has no primary key or unique index on the key fields "
                            + t.keyFields() + ", which keyed upserts need");
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException("target datasource '" + ds.name() + "'", problems);
            }
            List<String> created = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                for (TargetTable t : missing) {
                    s.execute(dialect.createTableSql(dialect.qualifiedName(ds, t.name()), t));
                    created.add(t.name());
                }
                for (Map.Entry<String, SchemaChange> a : added) {
                    s.execute(dialect.alterSql(dialect.qualifiedName(ds, a.getKey()), a.getValue()));
                    created.add(a.getKey() + " (" + a.getValue().describe() + ": a column the source gained while the job was stopped)");
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return created;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    private String schemaPattern() {
        return ds.get("schema");
    }

    private String catalog() {
        // MySQL exposes databases as JDBC catalogs, PostgreSQL as the connection's database with schemas.
        return dialect instanceof MySqlDialect ? ds.get("database") : null;
    }

    /** The columns the table has now; none when it does not exist. */
    Set<String> columnNames(Connection c, String table) throws SQLException {
        return columns(c.getMetaData(), table).keySet();
    }

    private Map<String, String> columns(DatabaseMetaData md, String table) throws SQLException {
        Map<String, String> cols = new TreeMap<>();
        try (ResultSet rs = md.getColumns(catalog(), schemaPattern(), table, null)) {
            while (rs.next()) {
                cols.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
            }
        }
        return cols;
    }

    private boolean hasUniqueKey(DatabaseMetaData md, TargetTable t) throws SQLException {
        Set<String> wanted = new HashSet<>(t.keyFields());
        Set<String> pk = new HashSet<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog(), schemaPattern(), t.name())) {
            while (rs.next()) {
                pk.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (pk.equals(wanted)) {
            return true;
        }
        Map<String, Set<String>> indexes = new TreeMap<>();
        try (ResultSet rs = md.getIndexInfo(catalog(), schemaPattern(), t.name(), true, false)) {
            while (rs.next()) {
                if (rs.getString("INDEX_NAME") != null && rs.getString("COLUMN_NAME") != null) {
                    indexes.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new HashSet<>()).add(rs.getString("COLUMN_NAME"));
                }
            }
        }
        return indexes.containsValue(wanted);
    }
}
