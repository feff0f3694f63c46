package io.tapflow.flink.job;

import java.util.List;

/**
 * What a pipeline will do, worked out against the real servers without changing anything: the tables each source
 * reads, and per source table its key, its columns after each step, its target table and the statement that would
 * create it; then what each kind of schema change does to this pipeline. {@code tapflow explain} prints it.
 */
public record PipelineExplanation(String pipeline, List<SourceExplanation> sources, String target, String targetType,
                                  List<TableExplanation> tables, String schemaChangePolicy, List<SchemaChangeEffect> schemaChanges) {
    public PipelineExplanation {
        sources = List.copyOf(sources);
        tables = List.copyOf(tables);
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

    /** What one kind of schema change in a source table does to this pipeline's target under its policy. */
    public record SchemaChangeEffect(String change, String effect) {}
}
