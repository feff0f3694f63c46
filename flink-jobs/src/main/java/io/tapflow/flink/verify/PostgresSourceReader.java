package io.tapflow.flink.verify;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads PostgreSQL tables, as a source (the schema of the datasource) or as a target: streamed in key order with a
 * server-side cursor, text keys ordered {@code COLLATE "C"} (code point order in UTF-8).
 */
final class PostgresSourceReader implements SourceReader, SqlTables {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final int FETCH_SIZE = 2_000;
    private final DataSource ds;

    PostgresSourceReader(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
    }

    @Override
    public RowCursor rows(TableSchema table, List<String> orderColumns, KeyRange range) {
        String order = orderColumns.stream().map(c -> ordered(table, c)).collect(Collectors.joining(", "));
        return rows(table.table(), order.isEmpty() ? "" : " ORDER BY " + order, range == null ? null : orderColumns.get(0), range);
    }

    /** @param rangeColumn the column the range applies to; null for all rows */
    RowCursor rows(String table, String orderBy, String rangeColumn, KeyRange range) {
        String name = DIALECT.qualifiedName(ds, table);
        Connection c = JdbcConnections.open(DIALECT, ds);
        try {
            // A cursor, not the whole result in memory: the driver streams only without auto-commit.
            c.setAutoCommit(false);
            String where = range == null ? "" : " WHERE " + DIALECT.quote(rangeColumn) + " >= ? AND " + DIALECT.quote(rangeColumn) + " < ?";
            PreparedStatement ps = c.prepareStatement("SELECT * FROM " + name + where + orderBy);
            if (range != null) {
                ps.setLong(1, range.from());
                ps.setLong(2, range.to());
            }
            ps.setFetchSize(FETCH_SIZE);
            Function<SQLException, RuntimeException> describe = e -> JdbcConnections.describe(ds, e);
            PostgresRowReader[] reader = new PostgresRowReader[1];
            RowCursor cursor = new JdbcRowCursor(ps, rs -> {
                if (reader[0] == null) {
                    reader[0] = new PostgresRowReader(rs.getMetaData(), table);
                }
                return reader[0].read(rs);
            }, describe);
            return new RowCursor() {
                @Override
                public Map<String, Object> next() {
                    return cursor.next();
                }

                @Override
                public void close() {
                    try (c) {
                        cursor.close();
                        c.rollback();
                    } catch (SQLException e) {
                        throw describe.apply(e);
                    }
                }
            };
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw JdbcConnections.describe(ds, e);
        }
    }

    @Override
    public List<Map<String, Object>> rowsWhere(TableSchema table, List<String> columns, List<Object> values) {
        return rowsWhere(table.table(), columns, values);
    }

    List<Map<String, Object>> rowsWhere(String table, List<String> columns, List<Object> values) {
        String where = columns.stream().map(col -> DIALECT.quote(col) + " = ?").collect(Collectors.joining(" AND "));
        try (Connection c = JdbcConnections.open(DIALECT, ds);
             PreparedStatement ps = c.prepareStatement("SELECT * FROM " + DIALECT.qualifiedName(ds, table) + " WHERE " + where)) {
            for (int i = 0; i < values.size(); i++) {
                DIALECT.bind(ps, i + 1, values.get(i));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                PostgresRowReader reader = new PostgresRowReader(rs.getMetaData(), table);
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    @Override
    public long count(TableSchema table) {
        return count(table.table());
    }

    long count(String table) {
        try (Connection c = JdbcConnections.open(DIALECT, ds);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + DIALECT.qualifiedName(ds, table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    @Override
    public boolean isPostgres() {
        return true;
    }

    @Override
    public String quote(String identifier) {
        return DIALECT.quote(identifier);
    }

    /** The datasource's schema holds the table (a PostgreSQL source names its schema as the table's database). */
    @Override
    public String qualified(String database, String table) {
        return DIALECT.qualifiedName(ds, table);
    }

    @Override
    public List<Object> queryRow(String sql, List<Object> parameters) {
        try (Connection c = JdbcConnections.open(DIALECT, ds); PreparedStatement ps = c.prepareStatement(sql)) {
            return JdbcQueries.firstRow(ps, parameters);
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** Text in code point order whatever the database's collation; uuid and everything else by value. */
    static String ordered(TableSchema table, String column) {
        boolean text = table.column(column).map(TextColumns::isText).orElse(false);
        return DIALECT.quote(column) + (text ? " COLLATE \"C\"" : "");
    }

    @Override
    public void close() {}
}
