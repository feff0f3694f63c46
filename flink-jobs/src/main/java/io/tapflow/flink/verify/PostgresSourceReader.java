package io.tapflow.flink.verify;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads PostgreSQL tables, as a source (the schema of the datasource) or as a target: streamed in key order with a
 * server-side cursor, text keys ordered {@code COLLATE "C"} (code point order in UTF-8).
 */
final class PostgresSourceReader extends JdbcTables implements SourceReader {
    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static final int FETCH_SIZE = 2_000;
    private final DataSource ds;
    private final boolean source;

    /**
     * @param source whether the tables are a pipeline's source: its interval values are then the ISO 8601 text the
     *               PostgreSQL source replicates ({@code P1Y2M}), where a target's interval columns hold MySQL TIME
     *               values (Durations)
     */
    PostgresSourceReader(DataSource resolvedDataSource, boolean source) {
        super(DIALECT);
        this.ds = resolvedDataSource;
        this.source = source;
    }

    @Override
    public RowCursor rows(TableSchema table, List<String> orderColumns, KeyRange range) {
        String order = orderColumns.stream().map(c -> ordered(table, c)).collect(Collectors.joining(", "));
        return rows(table.table(), order.isEmpty() ? "" : " ORDER BY " + order, range == null ? null : orderColumns.get(0), range);
    }

    /** @param rangeColumn the column the range applies to; null for all rows */
    RowCursor rows(String table, String orderBy, String rangeColumn, KeyRange range) {
        String where = range == null ? "" : " WHERE " + DIALECT.quote(rangeColumn) + " >= ? AND " + DIALECT.quote(rangeColumn) + " < ?";
        return stream("SELECT * FROM " + DIALECT.qualifiedName(ds, table) + where + orderBy, range, rs -> {
            PostgresRowReader reader = new PostgresRowReader(rs.getMetaData(), table, source);
            return reader::read;
        });
    }

    @Override
    public List<Map<String, Object>> rowsWhere(TableSchema table, List<String> columns, List<Object> values) {
        return rowsWhere(table.table(), columns, values);
    }

    List<Map<String, Object>> rowsWhere(String table, List<String> columns, List<Object> values) {
        return selectWhere("SELECT * FROM " + DIALECT.qualifiedName(ds, table), columns, values, rs -> {
            PostgresRowReader reader = new PostgresRowReader(rs.getMetaData(), table, source);
            return reader::read;
        });
    }

    @Override
    public long count(TableSchema table) {
        return count(table.table());
    }

    long count(String table) {
        return countRows(DIALECT.qualifiedName(ds, table));
    }

    @Override
    public boolean isPostgres() {
        return true;
    }

    /** The datasource's schema holds the table (a PostgreSQL source names its schema as the table's database). */
    @Override
    public String qualified(String database, String table) {
        return DIALECT.qualifiedName(ds, table);
    }

    @Override
    Connection connect() {
        Connection c = JdbcConnections.open(DIALECT, ds);
        if (source) {
            try (java.sql.Statement s = c.createStatement()) {
                // The text the PostgreSQL source replicates an interval as (PostgresIntervalText).
                s.execute("SET IntervalStyle = 'iso_8601'");
            } catch (SQLException e) {
                throw closedAfter(c, e);
            }
        }
        return c;
    }

    @Override
    RuntimeException describe(SQLException e) {
        return JdbcConnections.describe(ds, e);
    }

    /** A cursor, not the whole result in memory: the driver streams only without auto-commit. */
    @Override
    void streaming(Connection c, PreparedStatement ps) throws SQLException {
        c.setAutoCommit(false);
        ps.setFetchSize(FETCH_SIZE);
    }

    /** Text in code point order whatever the database's collation; uuid and everything else by value. */
    static String ordered(TableSchema table, String column) {
        boolean text = table.column(column).map(TextColumns::isText).orElse(false);
        return DIALECT.quote(column) + (text ? " COLLATE \"C\"" : "");
    }

    @Override
    public void close() {}
}
