package io.tapflow.flink.source.query;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.job.JobFailures;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/** Streams a query's result on the reader's fetcher thread, converting rows there, in batches of {@code batchSize}. */
final class QueryResultReader implements SplitReader<ChangeEvent, QuerySplit> {
    private final QueryRows query;
    private final int batchSize;
    private final Deque<QuerySplit> splits = new ArrayDeque<>();
    private QuerySplit current;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rows;
    private QueryRows.RowReader rowReader;

    QueryResultReader(QueryRows query, int batchSize) {
        this.query = query;
        this.batchSize = batchSize;
    }

    @Override
    public RecordsWithSplitIds<ChangeEvent> fetch() throws IOException {
        RecordsBySplits.Builder<ChangeEvent> batch = new RecordsBySplits.Builder<>();
        try {
            if (current == null && !start()) {
                return batch.build();
            }
            long now = System.currentTimeMillis();
            int n = 0;
            while (n < batchSize && rows.next()) {
                batch.add(current.splitId(), readRow(now));
                n++;
            }
            if (n < batchSize) {
                batch.addFinishedSplit(current.splitId());
                closeCurrent();
            }
        } catch (SQLException e) {
            IOException failure = new IOException("reading the result of query " + query.name() + " failed: "
                    + query.describe(e).getMessage(), e);
            JobFailures.failFastIfFatal(failure);
            throw failure;
        }
        return batch.build();
    }

    private ChangeEvent readRow(long now) {
        try {
            return rowReader.read(rows, now);
        } catch (SQLException | RuntimeException e) {
            throw JobFailures.rowFailure("reading the result of query " + query.name(), e);
        }
    }

    private boolean start() throws SQLException {
        current = splits.poll();
        if (current == null) {
            return false;
        }
        connection = query.connect();
        statement = query.prepare(connection);
        rows = statement.executeQuery();
        rowReader = query.rowReader();
        return true;
    }

    private void closeCurrent() throws SQLException {
        current = null;
        rowReader = null;
        try (Connection c = connection; PreparedStatement s = statement; ResultSet r = rows) {
            connection = null;
            statement = null;
            rows = null;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<QuerySplit> change) {
        if (change instanceof SplitsAddition<QuerySplit> addition) {
            splits.addAll(addition.splits());
        }
    }

    @Override
    public void wakeUp() {
        // fetch() returns after at most one batch, so there is no long wait to interrupt.
    }

    @Override
    public void close() throws Exception {
        if (current != null) {
            closeCurrent();
        }
    }
}
