package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.TargetTable;
import java.util.List;

/**
 * A pipeline checked against the real source and target, ready to translate: datasources with their env references
 * resolved, the source tables' schemas, the planned target tables, and the resolved dead-letter datasource (null
 * unless the pipeline's error policy is dead-letter).
 */
public record JobPlan(Pipeline pipeline, DataSource source, DataSource target, SourceTables sourceTables,
                      List<TargetTable> targetTables, List<String> createdTargetTables, DataSource deadLetterTarget) {
    public JobPlan {
        targetTables = List.copyOf(targetTables);
        createdTargetTables = List.copyOf(createdTargetTables);
    }
}
