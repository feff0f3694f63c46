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
        List<String> created = new ArrayList<>(sinkFactory.prepare(target, oneDefinitionPerTargetTable(targets)));
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

    /**
     * Several source tables may go to one target table (a union); the target needs that table once, and only when
     * every source brings the same columns.
     */
    private static List<TargetTable> oneDefinitionPerTargetTable(List<TargetTable> targets) {
        Map<String, TargetTable> byName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (TargetTable t : targets) {
            TargetTable first = byName.putIfAbsent(t.name(), t);
            if (first != null && (!first.columnNames().equals(t.columnNames()) || !first.keyFields().equals(t.keyFields()))) {
                problems.add("source tables " + first.sourceTable() + " and " + t.sourceTable() + " both go to target table "
                        + t.name() + " but bring different columns or keys: " + first.columnNames() + " key " + first.keyFields()
                        + " vs " + t.columnNames() + " key " + t.keyFields() + "; align them with include/rename steps");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("target table union", problems);
        }
        return List.copyOf(byName.values());
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
