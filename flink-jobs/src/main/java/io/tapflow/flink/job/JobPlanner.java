package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.step.AddedFieldColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a job against the real servers before anything runs: the source first (reachable, CDC-ready, tables and
 * keys), then the target (reachable, tables compatible). Missing target tables are created only when all of that
 * passed, so a failed check leaves nothing half-created.
 */
public final class JobPlanner {
    private JobPlanner() {}

    public static JobPlan plan(JobSpec spec) {
        Pipeline pipeline = spec.pipeline();
        DataSource source = spec.sourceDataSource().resolved();
        DataSource target = spec.targetDataSource().resolved();
        SourceFactory sourceFactory = ConnectorFactories.source(source.type());
        SinkFactory sinkFactory = ConnectorFactories.sink(target.type());
        List<String> keyOverride = pipeline.target().key();
        SourceTables sourceTables = sourceFactory.inspect(source, pipeline.source().tables(), keyOverride);
        List<TargetTable> targets = targetTables(pipeline, sourceTables.tables());
        List<String> created = sinkFactory.prepare(target, targets);
        return new JobPlan(pipeline, source, target, sourceTables, targets, created);
    }

    static List<TargetTable> targetTables(Pipeline pipeline, List<TableSchema> sources) {
        List<TargetTable> targets = new ArrayList<>();
        for (TableSchema s : sources) {
            Map<String, Column> columns = new LinkedHashMap<>();
            s.columns().forEach(c -> columns.put(c.name(), c));
            for (Step step : pipeline.steps()) {
                if (step instanceof Step.AddField add) {
                    columns.put(add.field(), AddedFieldColumns.of(add));
                }
            }
            List<String> key = pipeline.target().key().isEmpty() ? s.primaryKey() : pipeline.target().key();
            targets.add(new TargetTable(s.qualifiedName(), pipeline.target().tableFor(s.table()), key, List.copyOf(columns.values())));
        }
        return targets;
    }
}
