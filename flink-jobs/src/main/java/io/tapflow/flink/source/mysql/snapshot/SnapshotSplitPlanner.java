package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts tables into snapshot splits. A table with a single-column integral key is cut into ranges of about
 * {@code chunkSize} rows (from its key's MIN/MAX and the row estimate, both answered from the index and table statistics,
 * without scanning the table); any other table is one split, still resumable by key when the key is a primary key.
 * The first and last ranges are open-ended, so rows inserted beyond MIN/MAX while planning are not missed.
 *
 * <p>With several readers a table is cut into at least {@value #SPLITS_PER_READER} splits per reader (none smaller
 * than {@value #MIN_PARALLEL_CHUNK} rows): readers take splits as they ask, and each keeps one queued, so with only a
 * few large splits (300,000 rows in chunks of 65,536 are 5 splits) one reader is left with the last one or two while
 * the others have finished, and the snapshot ends at one reader's speed. One reader keeps the chunk size as given.
 */
final class SnapshotSplitPlanner {
    private static final Set<String> INTEGRAL = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    static final int SPLITS_PER_READER = 4;
    static final long MIN_PARALLEL_CHUNK = 4096;

    private final int chunkSize;
    private final int readers;

    SnapshotSplitPlanner(int chunkSize) {
        this(chunkSize, 1);
    }

    /** @param readers the snapshot's parallelism */
    SnapshotSplitPlanner(int chunkSize, int readers) {
        this.chunkSize = chunkSize;
        this.readers = readers;
    }

    /** How many ranges a table of about {@code rows} rows with {@code span} key values from MIN to MAX is cut into. */
    static long chunks(long rows, long span, int chunkSize, int readers) {
        long chunks = (rows + chunkSize - 1) / chunkSize;
        if (readers > 1) {
            chunks = Math.max(chunks, Math.min((long) readers * SPLITS_PER_READER, rows / MIN_PARALLEL_CHUNK));
        }
        return Math.max(1, Math.min(chunks, span));
    }

    TablePlan plan(Connection c, TableSchema table, List<String> keyOverride) throws SQLException {
        long rows = estimatedRows(c, table);
        return new TablePlan(table.qualifiedName(), splits(c, table, keyOverride, rows), rows);
    }

    private List<SnapshotSplit> splits(Connection c, TableSchema table, List<String> keyOverride, long rows)
            throws SQLException {
        boolean hasPrimaryKey = !table.primaryKey().isEmpty();
        List<String> key = hasPrimaryKey ? table.primaryKey() : keyOverride;
        String rangeColumn = key.size() == 1 && isRangeable(table.column(key.get(0)).orElseThrow()) ? key.get(0) : null;
        String prefix = table.qualifiedName() + "#";
        if (rangeColumn == null) {
            return List.of(SnapshotSplit.unread(prefix + 0, table.qualifiedName(), key, hasPrimaryKey, null, null, null));
        }
        long[] minMax = minMax(c, table, rangeColumn);
        long chunks = minMax == null ? 1 : chunks(rows, minMax[1] - minMax[0] + 1, chunkSize, readers);
        List<SnapshotSplit> splits = new ArrayList<>();
        if (chunks == 1) {
            splits.add(SnapshotSplit.unread(prefix + 0, table.qualifiedName(), key, hasPrimaryKey, rangeColumn, null, null));
            return splits;
        }
        long span = minMax[1] - minMax[0] + 1;
        long width = (span + chunks - 1) / chunks;
        Long start = null;
        for (int i = 0; i < chunks; i++) {
            Long end = i == chunks - 1 ? null : minMax[0] + (i + 1) * width;
            splits.add(SnapshotSplit.unread(prefix + i, table.qualifiedName(), key, hasPrimaryKey, rangeColumn, start, end));
            start = end;
        }
        return splits;
    }

    /** BIGINT UNSIGNED may exceed a long, so it is not cut into ranges. */
    private static boolean isRangeable(Column column) {
        return INTEGRAL.contains(column.dataType()) && !(column.unsigned() && column.dataType().equals("bigint"));
    }

    private static long[] minMax(Connection c, TableSchema table, String column) throws SQLException {
        String sql = "SELECT MIN(" + MySqlSql.quote(column) + "), MAX(" + MySqlSql.quote(column) + ") FROM "
                + MySqlSql.table(table);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? null : new long[] {min, rs.getLong(2)};
        }
    }

    /** The server's estimate from table statistics (InnoDB's may be off by a good part, and lags fresh loads). */
    private static long estimatedRows(Connection c, TableSchema table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, table.database());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
