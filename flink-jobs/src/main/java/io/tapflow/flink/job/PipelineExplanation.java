package io.tapflow.flink.job;

import java.util.List;

/**
 * What a pipeline will do, worked out against the real servers without changing anything: the tables each source
 * reads, and per source table its key, its columns after each step, its target table and the statement that would
 * create it; then what each kind of schema change does to this pipeline. {@code tapflow explain} prints it.
 */
public record PipelineExplanation(String pipeline, List<SourceExplanation> sources, String target, String targetType,
                                  List<TableExplanation> tables, List<LookupExplanation> lookups, String schemaChangePolicy,
                                  List<SchemaChangeEffect> schemaChanges) {
    public PipelineExplanation {
        sources = List.copyOf(sources);
        tables = List.copyOf(tables);
        lookups = List.copyOf(lookups);
        schemaChanges = List.copyOf(schemaChanges);
    }

    /** One source datasource: its type, the patterns and names it was given, and the tables they resolved to. */
    public record SourceExplanation(String datasource, String type, List<String> named, List<String> include,
                                    List<String> exclude, List<String> tables) {
        public SourceExplanation {
            named = List.copyOf(named);
            include = List.copyOf(include);
            exclude = List.copyOf(exclude);
            tables = List.copyOf(tables);
        }
    }

    /**
     * One source table: its key, the columns (and key) after each step, the target table; {@code createStatement}
     * is what planning would run to create it (null when it exists or the target needs no statement).
     */
    public record TableExplanation(String datasource, String sourceTable, List<String> key, List<SourceColumn> sourceColumns,
                                   List<StepColumns> steps, String targetTable, boolean targetExists, String createStatement) {
        public TableExplanation {
            key = List.copyOf(key);
            sourceColumns = List.copyOf(sourceColumns);
            steps = List.copyOf(steps);
        }
    }

    /** A source column as the source declares it. */
    public record SourceColumn(String name, String type, boolean nullable) {}

    /** The columns and key a row has after one step ({@code step} "source": as read). */
    public record StepColumns(String step, String kind, List<String> columns, List<String> key) {
        public StepColumns {
            columns = List.copyOf(columns);
            key = List.copyOf(key);
        }
    }

    /**
     * One lookup, nested ones included ({@code path} "items.product": the lookup inside the rows embedded at "items"):
     * the table it reads and its key, the join, the shape it gives the row ({@code shape} "object", "array" or
     * "flattened"), the looked-up rows' columns after each of their own steps, and the target columns it implies
     * (none for a nested lookup: it lives inside its parent's column).
     *
     * @param arrayKey what orders and identifies an array's elements: the lookup's arrayKey, else the table's key
     */
    public record LookupExplanation(String path, String datasource, String table, List<String> key, List<Join> on,
                                    String shape, List<String> arrayKey, List<StepColumns> steps, List<TargetColumn> targetColumns) {
        public LookupExplanation {
            key = List.copyOf(key);
            on = List.copyOf(on);
            arrayKey = List.copyOf(arrayKey);
            steps = List.copyOf(steps);
            targetColumns = List.copyOf(targetColumns);
        }
    }

    /** One field pair of a lookup's join: {@code parent} of the row that embeds, {@code child} of the looked-up row. */
    public record Join(String parent, String child) {}

    /** A target column a lookup adds and how the target holds it ("jsonb", "json", "varchar(32)", "embedded document"). */
    public record TargetColumn(String name, String type) {}

    /** What one kind of schema change in a source table does to this pipeline's target under its policy. */
    public record SchemaChangeEffect(String change, String effect) {}
}
