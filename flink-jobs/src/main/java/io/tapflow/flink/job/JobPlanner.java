package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.step.DeadLetters;
import java.util.ArrayList;
import java.util.List;

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
        List<String> created = new ArrayList<>(sinkFactory.prepare(target, targets));
        DataSource deadLetterTarget = deadLetterTarget(spec);
        if (deadLetterTarget != null) {
            String table = pipeline.settings().onError().deadLetter().table();
            created.addAll(ConnectorFactories.sink(deadLetterTarget.type()).prepare(deadLetterTarget, List.of(DeadLetters.table(table))));
        }
        return new JobPlan(pipeline, source, target, sourceTables, targets, created, deadLetterTarget);
    }

    private static DataSource deadLetterTarget(JobSpec spec) {
        ErrorPolicy policy = spec.pipeline().settings().onError();
        return policy.mode() == ErrorPolicy.Mode.DEAD_LETTER ? spec.datasource(policy.deadLetter().datasource()).resolved() : null;
    }

    static List<TargetTable> targetTables(Pipeline pipeline, List<TableSchema> sources) {
        List<String> problems = new ArrayList<>(GuestCodeChecks.problems(pipeline));
        List<TargetTable> targets = new ArrayList<>();
        for (TableSchema s : sources) {
            targets.add(TargetColumns.plan(pipeline.steps(), s, pipeline.target().key(), pipeline.target().tableFor(s.table()), problems));
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("pipeline '" + pipeline.name() + "'", problems);
        }
        return targets;
    }
}
