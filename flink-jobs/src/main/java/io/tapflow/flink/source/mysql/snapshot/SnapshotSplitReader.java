package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.job.JobFailures;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.source.mysql.MySqlConnections;
import io.tapflow.flink.source.mysql.ZeroDateRule;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/**
 * Reads snapshot splits one after another on the reader's fetcher thread, streaming each SELECT row by row (no chunk
 * is held in memory) and converting rows to change events there, so the task thread only passes them on and writes.
 * Rows are handed over in batches of {@code batchSize}.
 */
final class SnapshotSplitReader implements SplitReader<ChangeEvent, SnapshotSplit> {
    private final DataSource ds;
    private final Map<String, TableSchema> tables;
    private final int batchSize;
    private final Deque<SnapshotSplit> splits = new ArrayDeque<>();
    private Connection connection;
    private SnapshotSplit current;
    private PreparedStatement statement;
    private ResultSet rows;
    private MySqlRowReader rowReader;

    SnapshotSplitReader(DataSource resolvedDataSource, Map<String, TableSchema> tablesByQualifiedName, int batchSize) {
        this.ds = resolvedDataSource;
        this.tables = tablesByQualifiedName;
        this.batchSize = batchSize;
    }

    @Override
    public RecordsWithSplitIds<ChangeEvent> fetch() throws IOException {
        RecordsBySplits.Builder<ChangeEvent> batch = new RecordsBySplits.Builder<>();
        if (current == null && !startNextSplit()) {
            return batch.build();
        }
        try {
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
            IOException failure = new IOException("reading the snapshot of " + current.table() + " failed: "
                    + MySqlConnections.describe(ds, e).getMessage(), e);
            JobFailures.failFastIfFatal(failure);
            throw failure;
        }
        return batch.build();
    }

    private ChangeEvent readRow(long now) {
        try {
            return rowReader.read(rows, now);
        } catch (SQLException | RuntimeException e) {
            throw JobFailures.rowFailure("reading the snapshot of " + current.table(), e);
        }
    }

    private boolean startNextSplit() throws IOException {
        current = splits.poll();
        if (current == null) {
            return false;
        }
        TableSchema table = tables.get(current.table());
        try {
            if (connection == null) {
                connection = SnapshotConnections.open(ds);
            }
            statement = connection.prepareStatement(MySqlSql.selectSplit(table, current),
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            // Connector/J streams rows one by one instead of buffering the whole result.
            statement.setFetchSize(Integer.MIN_VALUE);
            bind(statement, parameters(current));
            rows = statement.executeQuery();
            rowReader = new MySqlRowReader(table, ZeroDateRule.of(ds));
            return true;
        } catch (SQLException e) {
            throw new IOException("starting the snapshot of " + current.table() + " failed: "
                    + MySqlConnections.describe(ds, e).getMessage(), e);
        }
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

    private void closeCurrent() throws SQLException {
        current = null;
        rowReader = null;
        try (Statement s = statement; ResultSet r = rows) {
            statement = null;
            rows = null;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<SnapshotSplit> change) {
        if (change instanceof SplitsAddition<SnapshotSplit> addition) {
            splits.addAll(addition.splits());
        }
    }

    @Override
    public void wakeUp() {
        // fetch() returns after at most one batch, so there is no long wait to interrupt.
    }

    @Override
    public void close() throws Exception {
        try (Connection c = connection) {
            if (current != null) {
                closeCurrent();
            }
        }
    }
}
