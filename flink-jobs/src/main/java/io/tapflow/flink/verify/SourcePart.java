package io.tapflow.flink.verify;

import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.DroppedColumns;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * One source table writing a target table, and how to read it so the rows the steps make come in target key order.
 *
 * @param keyColumns the source columns the first target key fields are (only renamed on the way), as many as map;
 *                   rows are read in their order, and a re-read of one key filters by them
 */
record SourcePart(SourceReader reader, TableSchema schema, List<String> keyColumns) {
    SourcePart {
        keyColumns = List.copyOf(keyColumns);
    }

    static SourcePart of(SourceReader reader, TableSchema table, List<Step> steps, List<String> targetKey) {
        TableSchema schema = withoutDroppedColumns(table, steps);
        List<String> mapped = new ArrayList<>();
        for (String field : targetKey) {
            String column = sourceColumn(steps, field);
            if (column == null || schema.column(column).isEmpty()) {
                break;
            }
            mapped.add(column);
        }
        return new SourcePart(reader, schema, mapped);
    }

    /**
     * The table without the columns the pipeline's first steps drop ({@code exclude_fields}, {@code include_fields}
     * before any other step): no step sees them, so reading them would only cost time (a DOUBLE column left out of a
     * pipeline cost a third of the source side's reading). The primary key is always read.
     */
    static TableSchema withoutDroppedColumns(TableSchema table, List<Step> steps) {
        DroppedColumns dropped = DroppedColumns.of(steps);
        List<Column> columns = table.columns().stream().filter(c -> table.primaryKey().contains(c.name())
                || !dropped.drops(c.name())).toList();
        return columns.size() == table.columns().size() ? table
                : new TableSchema(table.database(), table.table(), columns, table.primaryKey());
    }

    /** The order to read in: the key columns, else the source primary key (the steps' order check tells if that fails). */
    List<String> orderColumns() {
        return keyColumns.isEmpty() ? schema.primaryKey() : keyColumns;
    }

    /** The source column a target field is, followed back through the renames; null if a step makes or changes it. */
    static String sourceColumn(List<Step> steps, String field) {
        String name = field;
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (step instanceof Step.RenameFields r) {
                for (var e : r.renames().entrySet()) {
                    if (e.getValue().equals(name)) {
                        name = e.getKey();
                        break;
                    }
                }
            } else if (step instanceof Step.AddField a && a.field().equals(name)
                    || step instanceof Step.ChangeType c && c.field().equals(name)
                    || step instanceof Step.ValueMap m && m.field().equals(name)
                    || step instanceof Step.Unwind u && (u.field().equals(name) || u.indexField().equals(name))) {
                return null;
            }
        }
        return name;
    }
}
