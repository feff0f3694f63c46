package io.tapflow.flink.verify;

import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --mode hash} for one table: row count and checksum of a key range computed in each database over the same
 * normalized text ({@link HashText}); a range that differs is cut in {@value #FAN_OUT} and each part checked again,
 * down to ranges of at most {@value #ROW_LEAF} rows, which are compared row by row. Equal tables are confirmed
 * without moving their rows. Tables whose key is not a single integer column are checksummed whole, then compared row
 * by row if they differ.
 */
final class HashComparison {
    static final int FAN_OUT = 16;
    static final int ROW_LEAF = 1_000;

    private final TableComparison rows;
    private final TargetTable table;
    private final SourcePart part;
    private final SqlTables source;
    private final SqlTables target;
    private final String targetDatabase;
    private final List<Column> sourceColumns = new ArrayList<>();
    private long checksums;
    private long hashedRows;
    private long rowRanges;

    private HashComparison(TableComparison rows, SqlTables source, JdbcTargetReader target, List<Step> steps) {
        this.rows = rows;
        this.table = rows.table();
        this.part = rows.parts().get(0);
        this.source = source;
        this.target = target.sql();
        this.targetDatabase = target.database();
        for (Column c : table.columns()) {
            sourceColumns.add(part.schema().column(SourcePart.sourceColumn(steps, c.name())).orElseThrow());
        }
    }

    /**
     * Compares the table by checksums where it can, else says why not and compares it row by row.
     */
    static void compare(TableComparison rows, Pipeline pipeline, TargetReader target) {
        String obstacle = obstacle(rows, pipeline, target);
        if (obstacle != null) {
            rows.note("compared row by row, not by checksums: " + obstacle);
            rows.compareAll(null);
            return;
        }
        new HashComparison(rows, (SqlTables) rows.parts().get(0).reader(), (JdbcTargetReader) target, pipeline.steps()).run();
    }

    /** Why checksums cannot cover the table, or null. */
    private static String obstacle(TableComparison rows, Pipeline pipeline, TargetReader target) {
        if (!(target instanceof JdbcTargetReader)) {
            return "the target is not a SQL database";
        }
        if (rows.parts().size() != 1 || !(rows.parts().get(0).reader() instanceof SqlTables)) {
            return "several source tables write it";
        }
        for (Step step : pipeline.steps()) {
            if (!(step instanceof Step.RenameFields || step instanceof Step.IncludeFields || step instanceof Step.ExcludeFields
                    || step instanceof Step.RenameTables)) {
                return "step '" + step.id() + "' computes values the databases cannot";
            }
        }
        TableSchema schema = rows.parts().get(0).schema();
        for (Column c : rows.table().columns()) {
            Column s = schema.column(SourcePart.sourceColumn(pipeline.steps(), c.name())).orElse(null);
            if (s == null || !HashText.hashable(s) || !HashText.hashable(c)) {
                return "column '" + c.name() + "' (" + c.columnType() + ") has no text form both databases compute alike";
            }
        }
        return null;
    }

    private void run() {
        List<String> key = table.keyFields();
        boolean integerKey = key.size() == 1 && part.keyColumns().size() == 1
                && part.schema().column(part.keyColumns().get(0))
                        .map(c -> HashText.INTEGERS.contains(c.dataType()) && !(c.dataType().equals("bigint") && c.unsigned()))
                        .orElse(false);
        if (!integerKey) {
            Sum s = sum(source, sourceTable(), sourceExpressions(), null, null);
            Sum t = sum(target, targetTable(), targetExpressions(), null, null);
            checksums++;
            if (s.equals(t)) {
                rows.matchedByChecksum(s.count());
                hashedRows += s.count();
            } else {
                rowRanges++;
                rows.compareAll(null);
            }
        } else {
            KeyRange all = bounds();
            if (all != null) {
                bisect(all);
            }
        }
        rows.note("checksums: " + checksums + " computed in both databases confirmed " + hashedRows + " row(s) equal; "
                + rowRanges + " differing range(s) compared row by row");
    }

    private void bisect(KeyRange range) {
        Sum s = sum(source, sourceTable(), sourceExpressions(), part.keyColumns().get(0), range);
        Sum t = sum(target, targetTable(), targetExpressions(), table.keyFields().get(0), range);
        checksums++;
        if (s.equals(t)) {
            rows.matchedByChecksum(s.count());
            hashedRows += s.count();
            return;
        }
        if (Math.max(s.count(), t.count()) <= ROW_LEAF || range.width() <= FAN_OUT) {
            rowRanges++;
            rows.compareAll(range);
            return;
        }
        long step = (range.width() + FAN_OUT - 1) / FAN_OUT;
        for (long from = range.from(); from < range.to(); from += step) {
            bisect(new KeyRange(from, Math.min(range.to(), from + step)));
        }
    }

    /** The key range holding every row of both sides; null when both are empty. */
    private KeyRange bounds() {
        List<Object> s = source.queryRow("SELECT MIN(" + source.quote(part.keyColumns().get(0)) + "), MAX("
                + source.quote(part.keyColumns().get(0)) + ") FROM " + sourceTable(), List.of());
        List<Object> t = target.queryRow("SELECT MIN(" + target.quote(table.keyFields().get(0)) + "), MAX("
                + target.quote(table.keyFields().get(0)) + ") FROM " + targetTable(), List.of());
        Long min = null;
        Long max = null;
        for (List<Object> side : List.of(s, t)) {
            if (side.get(0) != null) {
                long lo = ((Number) side.get(0)).longValue();
                long hi = ((Number) side.get(1)).longValue();
                min = min == null ? lo : Math.min(min, lo);
                max = max == null ? hi : Math.max(max, hi);
            }
        }
        return min == null ? null : new KeyRange(min, max + 1);
    }

    private Sum sum(SqlTables side, String from, List<String> expressions, String keyColumn, KeyRange range) {
        String where = range == null ? "" : " WHERE " + side.quote(keyColumn) + " >= ? AND " + side.quote(keyColumn) + " < ?";
        List<Object> row = side.queryRow(HashText.checksumSql(from, expressions, where, side.isPostgres()),
                range == null ? List.of() : List.of(range.from(), range.to()));
        return new Sum(((Number) row.get(0)).longValue(), new BigDecimal(row.get(1).toString()));
    }

    private String sourceTable() {
        return source.qualified(part.schema().database(), part.schema().table());
    }

    private String targetTable() {
        return target.qualified(targetDatabase, table.name());
    }

    private List<String> sourceExpressions() {
        return sourceColumns.stream().map(c -> HashText.expression(c, source.quote(c.name()), source.isPostgres())).toList();
    }

    private List<String> targetExpressions() {
        return table.columns().stream().map(c -> HashText.expression(c, target.quote(c.name()), target.isPostgres())).toList();
    }

    /** A range's row count and the sum of its rows' hashes. */
    private record Sum(long count, BigDecimal hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sum other && count == other.count && hash.compareTo(other.hash) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count);
        }
    }
}
