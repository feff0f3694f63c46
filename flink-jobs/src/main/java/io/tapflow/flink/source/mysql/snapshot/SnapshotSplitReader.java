package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.ResultSetSplitReader;
import io.tapflow.flink.source.mysql.MySqlConnections;
import io.tapflow.flink.source.mysql.ZeroDateRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the snapshot splits of MySQL tables, one SELECT of a key range each, on one connection kept for all splits. */
final class SnapshotSplitReader extends ResultSetSplitReader<SnapshotSplit> {
    private final DataSource ds;
    private final Map<String, TableSchema> tables;
    private Connection connection;

    SnapshotSplitReader(DataSource resolvedDataSource, Map<String, TableSchema> tablesByQualifiedName, int batchSize) {
        super(batchSize);
        this.ds = resolvedDataSource;
        this.tables = tablesByQualifiedName;
    }

    @Override
    protected PreparedStatement open(SnapshotSplit split) throws SQLException {
        if (connection == null) {
            connection = SnapshotConnections.open(ds);
        }
        PreparedStatement statement = connection.prepareStatement(MySqlSql.selectSplit(tables.get(split.table()), split),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        // Connector/J streams rows one by one instead of buffering the whole result.
        statement.setFetchSize(Integer.MIN_VALUE);
        bind(statement, parameters(split));
        return statement;
    }

    @Override
    protected RowReader rowReader(SnapshotSplit split) {
        return new MySqlRowReader(tables.get(split.table()), ZeroDateRule.of(ds))::read;
    }

    @Override
    protected String what(SnapshotSplit split) {
        return "the snapshot of " + split.table();
    }

    @Override
    protected String describe(SQLException e) {
        return MySqlConnections.describe(ds, e).getMessage();
    }

    private static List<Object> parameters(SnapshotSplit split) {
        List<Object> params = new ArrayList<>();
        if (split.rangeStart() != null) {
            params.add(split.rangeStart());
        }
        if (split.rangeEnd() != null) {
            params.add(split.rangeEnd());
        }
        if (split.resumeAfter() != null) {
            params.addAll(MySqlSql.afterParameters(split.resumeAfter()));
        }
        return params;
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            ps.setObject(i + 1, value instanceof java.time.Instant instant ? java.sql.Timestamp.from(instant) : value);
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection c = connection) {
            super.close();
        }
    }
}
