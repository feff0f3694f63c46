package io.tapflow.flink.source;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads some columns of one source row, by primary key, as the server prints them: the exact form of values a
 * CDC reader may have delivered altered (see {@link BinlogReadBack} and {@code PostgresSnapshotCheck}). One
 * connection and one prepared statement per table, made on first use.
 */
public final class RowTextReader implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The SQL that differs between servers. */
    public interface Sql extends Serializable {
        Connection open(DataSource ds) throws SQLException;

        /** The column's value as text, e.g. {@code CAST(`c` AS CHAR)}. */
        String text(String column);

        String table(TableSchema table);

        String quote(String identifier);

        RuntimeException describe(DataSource ds, SQLException e);
    }

    private final DataSource ds;
    private final Sql sql;
    private final Set<String> types;
    private transient Connection connection;
    private transient Map<String, PreparedStatement> statements;

    /** @param types which column data types (of {@link io.tapflow.flink.schema.Column}) to read */
    public RowTextReader(DataSource resolvedDataSource, Sql sql, Set<String> types) {
        this.ds = resolvedDataSource;
        this.sql = sql;
        this.types = Set.copyOf(types);
    }

    /** The row's columns of the types read, by name; null when no row has that key (any more). */
    public Map<String, String> read(TableSchema schema, Map<String, Object> key) {
        try {
            PreparedStatement ps = statement(schema);
            int i = 1;
            for (String k : schema.primaryKey()) {
                ps.setObject(i++, key.get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, String> values = new HashMap<>();
                List<String> columns = columns(schema);
                for (int c = 0; c < columns.size(); c++) {
                    values.put(columns.get(c), rs.getString(c + 1));
                }
                return values;
            }
        } catch (SQLException e) {
            close();
            throw sql.describe(ds, e);
        }
    }

    /** Whether any row of the table meets the condition (SQL of the server, identifiers quoted by the caller). */
    public boolean exists(TableSchema schema, String condition) {
        try (PreparedStatement ps = connection().prepareStatement("SELECT EXISTS (SELECT 1 FROM " + sql.table(schema)
                + " WHERE " + condition + ")"); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            close();
            throw sql.describe(ds, e);
        }
    }

    public String quote(String identifier) {
        return sql.quote(identifier);
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = sql.open(ds);
            statements = new HashMap<>();
        }
        return connection;
    }

    private PreparedStatement statement(TableSchema schema) throws SQLException {
        connection();
        PreparedStatement ps = statements.get(schema.qualifiedName());
        if (ps == null) {
            String columns = columns(schema).stream().map(sql::text).collect(Collectors.joining(", "));
            String where = schema.primaryKey().stream().map(k -> sql.quote(k) + " = ?").collect(Collectors.joining(" AND "));
            ps = connection.prepareStatement("SELECT " + columns + " FROM " + sql.table(schema) + " WHERE " + where);
            statements.put(schema.qualifiedName(), ps);
        }
        return ps;
    }

    private List<String> columns(TableSchema schema) {
        return schema.columns().stream().filter(c -> types.contains(c.dataType())).map(c -> c.name()).toList();
    }

    private void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // The connection is being replaced after a failure; its own close error adds nothing.
        }
        connection = null;
    }
}
