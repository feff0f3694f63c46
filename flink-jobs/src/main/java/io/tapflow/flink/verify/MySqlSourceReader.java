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
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads MySQL/MariaDB tables with the snapshot's own row reader ({@link MySqlRowReader}), so values are exactly the
 * job's. Also serves MySQL targets, whose columns are described the same way. Each streamed read has its own
 * connection (a streaming MySQL result blocks its connection until it is read to the end).
 */
final class MySqlSourceReader extends JdbcTables implements SourceReader {
    /** Binds key values as the MySQL sink does. */
    private static final MySqlDialect DIALECT = new MySqlDialect();
    private final DataSource ds;
    private final ZeroDateRule zeroDates;

    MySqlSourceReader(DataSource resolvedDataSource) {
        super(DIALECT);
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
        MySqlRowReader reader = new MySqlRowReader(table, zeroDates);
        return stream(sql, range, rs -> row -> reader.read(row, 0).after());
    }

    @Override
    public List<Map<String, Object>> rowsWhere(TableSchema table, List<String> columns, List<Object> values) {
        MySqlRowReader reader = new MySqlRowReader(table, zeroDates);
        return selectWhere("SELECT " + MySqlSql.columnList(table) + " FROM " + MySqlSql.table(table), columns, values,
                rs -> row -> reader.read(row, 0).after());
    }

    @Override
    public long count(TableSchema table) {
        return countRows(MySqlSql.table(table));
    }

    @Override
    public boolean isPostgres() {
        return false;
    }

    @Override
    public String qualified(String database, String table) {
        return MySqlSql.quote(database) + "." + MySqlSql.quote(table);
    }

    /** Text in binary order (code points of UTF-8), whatever the column's collation; everything else by value. */
    private static String ordered(TableSchema table, String column) {
        boolean text = table.column(column).map(TextColumns::isText).orElse(false);
        return text ? "CAST(" + MySqlSql.quote(column) + " AS BINARY)" : MySqlSql.quote(column);
    }

    @Override
    Connection connect() {
        try {
            return SnapshotConnections.open(ds);
        } catch (SQLException e) {
            throw describe(e);
        }
    }

    @Override
    RuntimeException describe(SQLException e) {
        return MySqlConnections.describe(ds, e);
    }

    /** The driver streams rows one at a time with this fetch size only. */
    @Override
    void streaming(Connection c, PreparedStatement ps) throws SQLException {
        ps.setFetchSize(Integer.MIN_VALUE);
    }

    @Override
    public void close() {}

}
