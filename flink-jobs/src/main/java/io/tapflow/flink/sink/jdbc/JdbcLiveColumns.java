package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TargetTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The columns a JDBC writer writes per target table, which schema changes alter while the job runs (the job's
 * schema-change follower makes the change in the target before rows of the new shape arrive). Rows of the shape last
 * seen cost one set comparison; a new shape reads the table's columns again: a column is written when the target has
 * it and it was planned or the rows carry it, so a dropped column stops being written, a column kept under the lenient
 * policy is written NULL, a new column is written, and a field the target has no column for (policy ignore) is not.
 */
final class JdbcLiveColumns {
    private final JdbcDialect dialect;
    private final DataSource ds;
    private final Connection connection;
    private final Consumer<String> changed;
    private final Map<String, List<String>> columns = new HashMap<>();
    private final Map<String, Set<String>> lastShape = new HashMap<>();

    JdbcLiveColumns(JdbcDialect dialect, DataSource ds, Connection connection, Consumer<String> changed) {
        this.dialect = dialect;
        this.ds = ds;
        this.connection = connection;
        this.changed = changed;
    }

    List<String> columns(TargetTable table, List<Map<String, Object>> rows) throws java.io.IOException {
        List<String> current = columns.computeIfAbsent(table.name(), n -> table.columnNames());
        Set<String> shape = lastShape.computeIfAbsent(table.name(), n -> Set.copyOf(table.columnNames()));
        Set<String> fields = null;
        for (Map<String, Object> row : rows) {
            if (!row.keySet().equals(shape)) {
                if (fields == null) {
                    fields = new HashSet<>();
                }
                fields.addAll(row.keySet());
            }
        }
        if (fields == null) {
            return current;
        }
        List<String> next = read(table, fields);
        lastShape.put(table.name(), rows.isEmpty() ? shape : Set.copyOf(rows.get(rows.size() - 1).keySet()));
        if (!next.equals(current)) {
            columns.put(table.name(), next);
            changed.accept(table.name());
        }
        return next;
    }

    /**
     * After a failed write: whether the table's columns differ from the ones written (a schema change made meanwhile);
     * if so they are taken, and the next {@link #columns} call returns them.
     */
    boolean changedSince(TargetTable table, List<Map<String, Object>> rows) throws java.io.IOException {
        Set<String> fields = new HashSet<>();
        rows.forEach(r -> fields.addAll(r.keySet()));
        List<String> next = read(table, fields);
        if (next.equals(columns.get(table.name()))) {
            return false;
        }
        columns.put(table.name(), next);
        lastShape.put(table.name(), rows.isEmpty() ? Set.of() : Set.copyOf(rows.get(rows.size() - 1).keySet()));
        changed.accept(table.name());
        return true;
    }

    private List<String> read(TargetTable table, Set<String> fields) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        String catalog = dialect instanceof MySqlDialect ? ds.get("database") : null;
        try (ResultSet rs = connection.getMetaData().getColumns(catalog, ds.get("schema"), table.name(), null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                if (table.columnNames().contains(name) || fields.contains(name)) {
                    out.add(name);
                }
            }
        } catch (SQLException e) {
            throw new java.io.IOException("reading the columns of target table " + table.name() + " of datasource '"
                    + ds.name() + "' failed: " + e.getMessage(), e);
        }
        return out;
    }
}
