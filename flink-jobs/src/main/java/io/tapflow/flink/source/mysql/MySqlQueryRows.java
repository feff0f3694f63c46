package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.mysql.snapshot.MySqlRowReader;
import io.tapflow.flink.source.mysql.snapshot.MySqlSql;
import io.tapflow.flink.source.mysql.snapshot.SnapshotConnections;
import io.tapflow.flink.source.ResultSetSplitReader;
import io.tapflow.flink.source.query.QueryResultKey;
import io.tapflow.flink.source.query.QueryRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Streams a query's result from MySQL/MariaDB, its columns selected and read as a snapshot reads a table's. */
final class MySqlQueryRows implements QueryRows {
    private static final long serialVersionUID = 1L;
    private final DataSource ds;
    private final TableSchema result;
    private final String select;

    MySqlQueryRows(DataSource resolvedDataSource, TableSchema result, String select) {
        this.ds = resolvedDataSource;
        this.result = result;
        this.select = select;
    }

    @Override
    public Connection connect() throws SQLException {
        return QueryResultKey.readOnly(SnapshotConnections.open(ds));
    }

    @Override
    public PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT " + MySqlSql.columnList(result) + " FROM ("
                + QueryResultKey.body(select) + ") AS tapflow_query", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        // Connector/J streams rows one by one instead of buffering the whole result.
        ps.setFetchSize(Integer.MIN_VALUE);
        return ps;
    }

    @Override
    public ResultSetSplitReader.RowReader rowReader() {
        return new MySqlRowReader(result, ZeroDateRule.of(ds))::read;
    }

    @Override
    public RuntimeException describe(SQLException e) {
        return MySqlConnections.describe(ds, e);
    }

    @Override
    public String name() {
        return result.table();
    }
}
