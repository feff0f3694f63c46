package io.tapflow.flink.verify;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.MySqlDialect;
import io.tapflow.flink.source.mysql.MySqlConnections;
import io.tapflow.flink.source.mysql.ZeroDateRule;
import io.tapflow.flink.source.mysql.snapshot.MySqlRowReader;
import io.tapflow.flink.source.mysql.snapshot.MySqlSql;
import io.tapflow.flink.source.mysql.snapshot.SnapshotConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads MySQL/MariaDB tables with the snapshot's own row reader ({@link MySqlRowReader}), so values are exactly the
 * job's. Also serves MySQL targets, whose columns are described the same way. Each streamed read has its own
 * connection (a streaming MySQL result blocks its connection until it is read to the end).
 */
final class MySqlSourceReader implements SourceReader, SqlTables {
    /** Binds key values as the MySQL sink does. */
    private static final MySqlDialect DIALECT = new MySqlDialect();
    private final DataSource ds;
    private final ZeroDateRule zeroDates;

    MySqlSourceReader(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
        this.zeroDates = ZeroDateRule.of(resolvedDataSource);
    }

    @Override
    public RowCursor rows(TableSchema table, List<String> orderColumns, KeyRange range) {
        String order = orderColumns.stream().map(c -> ordered(table, c)).collect(Collectors.joining(", "));
        String where = range == null ? "" : " WHERE " + MySqlSql.quote(orderColumns.get(0)) + " >= ? AND "
                + MySqlSql.quote(orderColumns.get(0)) + " < ?";
        String sql = "SELECT " + MySqlSql.columnList(table) + " FROM " + MySqlSql.table(table) + where
                + (order.isEmpty() ? "" : " ORDER BY " + order);
        Connection c = connect();
        try {
            PreparedStatement ps = c.prepareStatement(sql);
            if (range != null) {
                ps.setLong(1, range.from());
                ps.setLong(2, range.to());
            }
            ps.setFetchSize(Integer.MIN_VALUE);
            MySqlRowReader reader = new MySqlRowReader(table, zeroDates);
            RowCursor cursor = new JdbcRowCursor(ps, rs -> reader.read(rs, 0).after(), e -> MySqlConnections.describe(ds, e));
            return new RowCursor() {
                @Override
                public Map<String, Object> next() {
                    return cursor.next();
                }

                @Override
                public void close() {
                    try (c) {
                        cursor.close();
                    } catch (SQLException e) {
                        throw MySqlConnections.describe(ds, e);
                    }
                }
            };
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw MySqlConnections.describe(ds, e);
        }
    }

    @Override
    public List<Map<String, Object>> rowsWhere(TableSchema table, List<String> columns, List<Object> values) {
        String where = columns.stream().map(col -> MySqlSql.quote(col) + " = ?").collect(Collectors.joining(" AND "));
        String sql = "SELECT " + MySqlSql.columnList(table) + " FROM " + MySqlSql.table(table) + " WHERE " + where;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                DIALECT.bind(ps, i + 1, values.get(i));
            }
            MySqlRowReader reader = new MySqlRowReader(table, zeroDates);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs, 0).after());
                }
            }
            return rows;
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    @Override
    public long count(TableSchema table) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + MySqlSql.table(table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    @Override
    public boolean isPostgres() {
        return false;
    }

    @Override
    public String quote(String identifier) {
        return MySqlSql.quote(identifier);
    }

    @Override
    public String qualified(String database, String table) {
        return MySqlSql.quote(database) + "." + MySqlSql.quote(table);
    }

    @Override
    public List<Object> queryRow(String sql, List<Object> parameters) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            return JdbcQueries.firstRow(ps, parameters);
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    /** Text in binary order (code points of UTF-8), whatever the column's collation; everything else by value. */
    private static String ordered(TableSchema table, String column) {
        boolean text = table.column(column).map(TextColumns::isText).orElse(false);
        return text ? "CAST(" + MySqlSql.quote(column) + " AS BINARY)" : MySqlSql.quote(column);
    }

    private Connection connect() {
        try {
            return SnapshotConnections.open(ds);
        } catch (SQLException e) {
            throw MySqlConnections.describe(ds, e);
        }
    }

    private static void closeQuietly(Connection c, SQLException e) {
        try {
            c.close();
        } catch (SQLException closing) {
            e.addSuppressed(closing);
        }
    }

    @Override
    public void close() {}

}
