package io.tapflow.flink.source;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.job.JobFailures;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/**
 * Reads splits that are each one SELECT, one after another on the reader's fetcher thread: streams the result row by
 * row (nothing held in memory), converts rows to change events there, so the task thread only passes them on, and
 * hands them over in batches of {@code batchSize}. Subclasses say how a split's statement is opened and described.
 */
public abstract class ResultSetSplitReader<S extends SourceSplit> implements SplitReader<ChangeEvent, S> {

    /** Reads the current row of a result as a change event. */
    public interface RowReader {
        ChangeEvent read(ResultSet rs, long readAtMs) throws SQLException;
    }

    private final int batchSize;
    private final Deque<S> splits = new ArrayDeque<>();
    private S current;
    private PreparedStatement statement;
    private ResultSet rows;
    private RowReader rowReader;

    protected ResultSetSplitReader(int batchSize) {
        this.batchSize = batchSize;
    }

    /** The statement that streams the split's rows, ready to execute. */
    protected abstract PreparedStatement open(S split) throws SQLException;

    protected abstract RowReader rowReader(S split);

    /** What a split reads, for messages: "the snapshot of shop.orders". */
    protected abstract String what(S split);

    /** A failure as the user should read it (no driver noise, no secrets). */
    protected abstract String describe(SQLException e);

    /** Releases what {@link #open} acquired beyond the statement; called after each split. */
    protected void splitDone() throws SQLException {}

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
            throw failure("reading ", e);
        }
        return batch.build();
    }

    private ChangeEvent readRow(long now) {
        try {
            return rowReader.read(rows, now);
        } catch (SQLException | RuntimeException e) {
            throw JobFailures.rowFailure("reading " + what(current), e);
        }
    }

    private boolean startNextSplit() throws IOException {
        current = splits.poll();
        if (current == null) {
            return false;
        }
        try {
            statement = open(current);
            rows = statement.executeQuery();
            rowReader = rowReader(current);
            return true;
        } catch (SQLException e) {
            throw failure("starting ", e);
        }
    }

    private IOException failure(String doing, SQLException e) {
        IOException failure = new IOException(doing + what(current) + " failed: " + describe(e), e);
        JobFailures.failFastIfFatal(failure);
        return failure;
    }

    private void closeCurrent() throws SQLException {
        current = null;
        rowReader = null;
        try (PreparedStatement s = statement; ResultSet r = rows) {
            statement = null;
            rows = null;
        } finally {
            splitDone();
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<S> change) {
        if (change instanceof SplitsAddition<S> addition) {
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
