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
 */
final class SnapshotSplitPlanner {
    private static final Set<String> INTEGRAL = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private final int chunkSize;

    SnapshotSplitPlanner(int chunkSize) {
        this.chunkSize = chunkSize;
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
        long chunks = minMax == null ? 1 : Math.max(1, Math.min((rows + chunkSize - 1) / chunkSize,
                minMax[1] - minMax[0] + 1));
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
