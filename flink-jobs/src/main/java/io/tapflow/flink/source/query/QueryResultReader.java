package io.tapflow.flink.source.query;

import io.tapflow.flink.source.ResultSetSplitReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Streams a query's result on its own connection, which lives as long as the query's one split. */
final class QueryResultReader extends ResultSetSplitReader<QuerySplit> {
    private final QueryRows query;
    private Connection connection;

    QueryResultReader(QueryRows query, int batchSize) {
        super(batchSize);
        this.query = query;
    }

    @Override
    protected PreparedStatement open(QuerySplit split) throws SQLException {
        connection = query.connect();
        return query.prepare(connection);
    }

    @Override
    protected RowReader rowReader(QuerySplit split) {
        return query.rowReader();
    }

    @Override
    protected String what(QuerySplit split) {
        return "the result of query " + query.name();
    }

    @Override
    protected String describe(SQLException e) {
        return query.describe(e).getMessage();
    }

    @Override
    protected void splitDone() throws SQLException {
        try (Connection c = connection) {
            connection = null;
        }
    }
}
