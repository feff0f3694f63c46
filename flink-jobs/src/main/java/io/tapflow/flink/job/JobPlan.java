package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;

/**
 * A pipeline checked against the real sources and target, ready to translate: datasources with their env references
 * resolved, each source with its tables' schemas (in the pipeline's order of sources), the planned target tables (one
 * per source table name), and the resolved dead-letter datasource (null unless the pipeline's error policy is
 * dead-letter).
 */
public record JobPlan(Pipeline pipeline, List<Source> sources, DataSource target, List<TargetTable> targetTables,
                      List<String> createdTargetTables, DataSource deadLetterTarget) {
    public JobPlan {
        sources = List.copyOf(sources);
        targetTables = List.copyOf(targetTables);
        createdTargetTables = List.copyOf(createdTargetTables);
    }

    /**
     * One source datasource of the plan and what inspecting it found.
     *
     * @param query the SELECT read once instead of the tables (then {@code tables} describes its result), or null
     */
    public record Source(DataSource datasource, SourceTables tables, String query) {
        public Source(DataSource datasource, SourceTables tables) {
            this(datasource, tables, null);
        }
    }
}
