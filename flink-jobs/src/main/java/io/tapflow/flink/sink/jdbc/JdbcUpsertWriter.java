package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.RowValues;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.BufferedUpsertWriter;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.SinkRowErrors;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.MetricGroup;

/**
 * Writes batches to a JDBC target in one transaction per flush: batched deletes by key, then batched upserts.
 * Batches of snapshot rows go through the dialect's bulk insert (COPY on PostgreSQL) when it has one; a batch that
 * meets a row already in the target (a replay after a restore, or a target that was not empty) is rolled back and
 * upserted instead, and bulk inserts pause for a growing number of batches so a non-empty target is not tried each time.
 */
final class JdbcUpsertWriter extends BufferedUpsertWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcUpsertWriter.class);
    private final JdbcDialect dialect;
    private final DataSource ds;
    private final Connection connection;
    private final Map<String, PreparedStatement[]> statements = new HashMap<>();
    private final Optional<BulkInsert> bulkInsert;
    private final BulkInsertBackoff backoff = new BulkInsertBackoff();
    private final JdbcLiveColumns liveColumns;

    JdbcUpsertWriter(JdbcDialect dialect, DataSource ds, List<TargetTable> tables, SinkOptions options,
                     ProcessingTimeService timeService, MetricGroup metrics, SinkRowErrors rowErrors) throws IOException {
        super(tables, options, timeService, metrics, rowErrors);
        this.dialect = dialect;
        this.ds = ds;
        this.connection = JdbcConnections.open(dialect, ds);
        try {
            connection.setAutoCommit(false);
            this.bulkInsert = dialect.bulkInsert(connection);
            this.liveColumns = new JdbcLiveColumns(dialect, ds, connection, this::forgetStatements);
        } catch (SQLException e) {
            throw new IOException(JdbcConnections.describe(ds, e).getMessage(), e);
        }
    }

    @Override
    protected void writeBatch(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts,
                              boolean snapshotRowsOnly) throws IOException {
        try {
            writeBatchOnce(table, deletes, upserts, snapshotRowsOnly);
        } catch (TapflowException e) {
            // Found while binding or encoding a row (an embedded document's NaN has no JSON form), with rows of the
            // batch already bound: nothing of it is kept, and the message names the row and column it came from.
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            forgetStatements(table.name());
            throw JsonColumnValues.describe(table, upserts, e);
        }
    }

    private void writeBatchOnce(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> rows,
                                boolean snapshotRowsOnly) throws IOException {
        List<Map<String, Object>> upserts = dialect.writable(table, rows);
        if (snapshotRowsOnly && deletes.isEmpty() && bulkInsert.isPresent() && backoff.shouldTry()
                && insertedInBulk(table, upserts, bulkInsert.get())) {
            return;
        }
        try {
            write(table, deletes, upserts, liveColumns.columns(table, upserts));
        } catch (SQLException e) {
            rollbackQuietly(e);
            // Rows of the shape before a schema change, written after the change was made in the target (another
            // sink subtask saw the new shape first): the table's columns are read again and the batch written once more.
            if (!liveColumns.changedSince(table, upserts)) {
                throw writeFailure(e, table, deletes.size() + upserts.size(), upserts);
            }
            LOG.warn("target table {}: a batch of {} changes failed ({}) because the table's columns changed meanwhile; "
                    + "written again with its columns now", table.name(), deletes.size() + upserts.size(), e.getMessage());
            try {
                write(table, deletes, upserts, liveColumns.columns(table, upserts));
            } catch (SQLException again) {
                throw writeFailure(again, table, deletes.size() + upserts.size(), upserts);
            }
        }
    }

    private void write(TargetTable table, List<RowKey> deletes, List<Map<String, Object>> upserts, List<String> columns)
            throws SQLException {
        PreparedStatement[] ps = statements.computeIfAbsent(table.name(), n -> prepare(table, columns));
        for (RowKey key : deletes) {
            for (int i = 0; i < key.size(); i++) {
                dialect.bind(ps[0], i + 1, key.get(i));
            }
            ps[0].addBatch();
        }
        if (!deletes.isEmpty()) {
            ps[0].executeBatch();
        }
        Map<String, Column> declared = table.columns().stream().collect(Collectors.toMap(Column::name, c -> c, (x, y) -> x));
        for (Map<String, Object> row : upserts) {
            for (int i = 0; i < columns.size(); i++) {
                Object value = row.get(columns.get(i));
                if (value instanceof BigDecimal d && declared.containsKey(columns.get(i))) {
                    dialect.checkFits(declared.get(columns.get(i)), d);
                }
                dialect.bind(ps[1], i + 1, value);
            }
            ps[1].addBatch();
        }
        if (!upserts.isEmpty()) {
            ps[1].executeBatch();
        }
        connection.commit();
    }

    /** True when the rows were inserted; false when one was already there and the batch must be upserted. */
    private boolean insertedInBulk(TargetTable table, List<Map<String, Object>> rows, BulkInsert bulk) throws IOException {
        try {
            bulk.insert(dialect.qualifiedName(ds, table.name()), table.columnNames(), rows);
            connection.commit();
            backoff.succeeded();
            return true;
        } catch (SQLException e) {
            if (bulk.isKeyConflict(e)) {
                rollbackQuietly(e);
                backoff.conflicted();
                return false;
            }
            throw writeFailure(e, table, rows.size(), rows);
        }
    }

    private IOException writeFailure(SQLException e, TargetTable table, int changes, List<Map<String, Object>> upserts) {
        rollbackQuietly(e);
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        if (NulCharacters.refusedFor(cause.getMessage())) {
            var column = upserts.stream().map(NulCharacters::column).flatMap(java.util.Optional::stream).findFirst();
            if (column.isPresent()) {
                // tapflow's own message: the error policy's row-by-row pass reports it for the one row that holds it.
                return new IOException(new TapflowException("column '" + column.get() + "' holds a NUL character (U+0000), "
                        + "which PostgreSQL text and json values cannot hold (" + cause.getMessage() + ")", cause));
            }
            var escaped = upserts.stream().map(NulCharacters::escapeColumn).flatMap(java.util.Optional::stream).findFirst();
            if (escaped.isPresent()) {
                return new IOException(new TapflowException("column '" + escaped.get() + "' holds the JSON escape \\u0000 (a NUL "
                        + "character), which PostgreSQL jsonb values cannot hold (" + cause.getMessage() + ")", cause));
            }
        }
        var enumError = EnumErrorValues.firstHolder(cause.getErrorCode(), table, upserts);
        if (enumError.isPresent()) {
            return new IOException(new TapflowException(enumError.get() + " (" + cause.getMessage() + ")", cause));
        }
        var misfit = ColumnCapacity.firstMisfit(table, upserts);
        if (misfit.isPresent()) {
            // tapflow's own message, as above: the row-by-row pass names the row, this the column; nothing is truncated.
            return new IOException(new TapflowException(misfit.get() + " (" + cause.getMessage() + ")", cause));
        }
        String sample = upserts.isEmpty() ? "" : "; first row of the batch: " + RowValues.format(upserts.get(0));
        return new IOException("writing " + changes + " changes to table " + table.name()
                + " of datasource '" + ds.name() + "' failed: " + cause.getMessage() + sample, cause);
    }

    private PreparedStatement[] prepare(TargetTable table, List<String> columns) {
        String qualified = dialect.qualifiedName(ds, table.name());
        try {
            return new PreparedStatement[] {
                connection.prepareStatement(dialect.deleteSql(qualified, table.keyFields())),
                connection.prepareStatement(dialect.upsertSql(qualified, columns, table.keyFields()))
            };
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** The table's columns changed (a schema change): its statements are prepared again. */
    private void forgetStatements(String table) {
        PreparedStatement[] ps = statements.remove(table);
        if (ps != null) {
            for (PreparedStatement p : ps) {
                try {
                    p.close();
                } catch (SQLException e) {
                    // a statement of the old shape; nothing was pending on it
                }
            }
        }
    }

    @Override
    protected void alter(TargetTable table, io.tapflow.flink.schema.SchemaChange change) throws IOException {
        try {
            String sql = new JdbcTargets(dialect).alter(ds, table.name(), change);
            LOG.info("target table {}: {} made after the rows before it: {}", table.name(), change.describe(), sql);
        } catch (io.tapflow.dsl.TapflowException e) {
            throw new IOException(e.getMessage(), e);
        }
        forgetStatements(table.name());
    }

    @Override
    protected void truncate(TargetTable table, io.tapflow.flink.schema.TruncateScope scope) throws IOException {
        try (java.sql.PreparedStatement s = JdbcTargets.delete(connection, dialect, ds, table.name(), scope)) {
            s.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new IOException("emptying target table " + table.name() + " failed: " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly(SQLException original) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            original.addSuppressed(e);
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection c = connection) {
            super.close();
        }
    }
}
