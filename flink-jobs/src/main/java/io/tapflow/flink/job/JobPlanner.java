package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.verify.VerifyReaders;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.DroppedColumns;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.step.DeadLetters;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a job against the real servers before anything runs: the sources first (reachable, CDC-ready, tables and
 * keys), then the target (reachable, tables compatible). Missing target tables are created only when all of that
 * passed, so a failed check leaves nothing half-created.
 */
public final class JobPlanner {
    private JobPlanner() {}

    public static JobPlan plan(JobSpec spec) {
        JobPlan inspected = inspect(spec);
        Pipeline pipeline = spec.pipeline();
        DataSource target = inspected.target();
        SinkFactory sinkFactory = ConnectorFactories.sink(target.type());
        if (pipeline.settings().verifySamplePerSecond() > 0) {
            VerifyReaders.checkSampling(inspected, "pipeline '" + pipeline.name() + "' samples changed keys to verify "
                    + "(verify.sample-per-second), but");
        }
        DataSource deadLetterTarget = deadLetterTarget(spec);
        List<String> created = new ArrayList<>(sinkFactory.prepare(target, oneDefinitionPerTargetTable(inspected.targetTables()),
                new SinkContext(pipeline.name(), pipeline.settings().onError(), deadLetterTarget, pipeline.settings().schemaChangeRules())));
        if (deadLetterTarget != null) {
            String table = pipeline.settings().onError().deadLetter().table();
            created.addAll(ConnectorFactories.sink(deadLetterTarget.type()).prepare(deadLetterTarget, List.of(DeadLetters.table(table))));
        }
        return new JobPlan(pipeline, inspected.sources(), target, inspected.targetTables(), created, deadLetterTarget,
                inspected.lookupSources());
    }

    /**
     * The checks of {@link #plan} that only read: the sources inspected and the target tables planned, nothing
     * created on the target (what {@code tapflow verify} needs to know what the pipeline writes where).
     */
    public static JobPlan inspect(JobSpec spec) {
        Pipeline pipeline = spec.pipeline();
        List<String> keyOverride = pipeline.target().key();
        List<JobPlan.Source> sources = new ArrayList<>();
        List<InvalidDefinitionException> failed = new ArrayList<>();
        for (SourceSpec s : pipeline.sources()) {
            DataSource source = spec.datasource(s.datasource()).resolved();
            try {
                sources.add(inspect(source, s, keyOverride, pipeline.sourceResourceName(s.datasource()),
                        DroppedColumns.of(pipeline.steps())));
            } catch (InvalidDefinitionException e) {
                // Check every source of a union before reporting, as validation does.
                failed.add(e);
            }
        }
        if (failed.size() == 1) {
            throw failed.get(0);
        }
        if (!failed.isEmpty()) {
            throw new InvalidDefinitionException("sources of pipeline '" + pipeline.name() + "'",
                    failed.stream().map(Throwable::getMessage).toList());
        }
        DataSource target = spec.targetDataSource().resolved();
        List<JobPlan.Source> lookupSources = LookupTables.inspect(spec);
        List<TargetTable> targetTables = targetTables(pipeline, sources, LookupTables.schemas(pipeline.steps(), lookupSources));
        List<String> selfWrites = SourceAsTarget.problems(sources, target, targetTables);
        if (!selfWrites.isEmpty()) {
            throw new InvalidDefinitionException("pipeline '" + pipeline.name() + "'", selfWrites);
        }
        return new JobPlan(pipeline, sources, target, targetTables, List.of(), null, lookupSources);
    }

    private static JobPlan.Source inspect(DataSource source, SourceSpec spec, List<String> keyOverride, String resourceName,
                                          DroppedColumns dropped) {
        SourceFactory factory = ConnectorFactories.source(source.type());
        if (!spec.hasQuery()) {
            if (!spec.hasPatterns()) {
                return new JobPlan.Source(source, factory.inspect(source, spec.tables(), keyOverride, dropped));
            }
            List<String> tables = TableSelection.resolve(spec, source, factory);
            return new JobPlan.Source(source, factory.followingNewTables(source, factory.inspect(source, tables, keyOverride, dropped),
                    spec.include(), spec.exclude(), resourceName));
        }
        TableSchema result = factory.inspectQuery(source, spec.tables().get(0), spec.query(), keyOverride);
        // The query's session reads TIMESTAMP values in UTC; there is no change stream to read in another zone.
        return new JobPlan.Source(source, new SourceTables(List.of(result), ZoneOffset.UTC), spec.query());
    }

    private static DataSource deadLetterTarget(JobSpec spec) {
        ErrorPolicy policy = spec.pipeline().settings().onError();
        return policy.mode() == ErrorPolicy.Mode.DEAD_LETTER ? spec.datasource(policy.deadLetter().datasource()).resolved() : null;
    }

    /** The target table needs to be prepared once however many source tables go to it. */
    private static List<TargetTable> oneDefinitionPerTargetTable(List<TargetTable> targets) {
        Map<String, TargetTable> byName = new LinkedHashMap<>();
        targets.forEach(t -> byName.putIfAbsent(t.name(), t));
        return List.copyOf(byName.values());
    }

    /**
     * The target table of every source table. Several source tables may go to one target table (a union, also across
     * datasources); that needs every one of them to bring the same columns and key. A table name read from two
     * datasources (two shards, say) is planned once: its rows go to the same target table, with the same columns, so
     * everything downstream may look target tables up by the name change events carry.
     */
    /** The names of the table's columns its source leaves unread. */
    private static Set<String> unread(SourceTables tables, TableSchema table) {
        String prefix = table.qualifiedName() + ".";
        return tables.unreadColumns().stream().filter(c -> c.startsWith(prefix)).map(c -> c.substring(prefix.length()))
                .collect(java.util.stream.Collectors.toSet());
    }

    static List<TargetTable> targetTables(Pipeline pipeline, List<JobPlan.Source> sources) {
        return targetTables(pipeline, sources, Map.of());
    }

    static List<TargetTable> targetTables(Pipeline pipeline, List<JobPlan.Source> sources,
                                          Map<io.tapflow.dsl.Step.Lookup, TableSchema> lookupTables) {
        Set<String> problems = new LinkedHashSet<>(GuestCodeChecks.problems(pipeline));
        Map<String, TargetTable> bySourceTable = new LinkedHashMap<>();
        Map<String, Planned> firstByTarget = new LinkedHashMap<>();
        boolean union = sources.size() > 1;
        CaseFoldedCollisions collisions = new CaseFoldedCollisions(pipeline.steps());
        for (JobPlan.Source source : sources) {
            for (TableSchema s : source.tables().tables()) {
                List<String> tableProblems = new ArrayList<>(nullableKeyFields(source.datasource(), s, pipeline.target().key()));
                TargetTable t = TargetColumns.plan(pipeline.steps(), s, pipeline.target().key(),
                        pipeline.target().tableFor(s.table()), tableProblems, lookupTables, unread(source.tables(), s));
                problems.addAll(tableProblems);
                Planned planned = new Planned(union ? source.datasource().name() + "." + s.qualifiedName() : s.qualifiedName(), t);
                String collision = collisions.check(planned.label(), pipeline.target().tableFor(s.table()), t.name());
                Planned first = firstByTarget.putIfAbsent(t.name(), planned);
                if (collision != null) {
                    problems.add(collision);
                } else if (first != null && !first.sameShape(planned)) {
                    problems.add("source tables " + first.label() + " and " + planned.label() + " both go to target table "
                            + t.name() + " but bring different columns or keys: " + first.table().columnNames() + " key "
                            + first.table().keyFields() + " vs " + t.columnNames() + " key " + t.keyFields()
                            + "; align them with include/rename steps");
                }
                bySourceTable.putIfAbsent(t.sourceTable(), t);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("pipeline '" + pipeline.name() + "'", List.copyOf(problems));
        }
        return List.copyOf(bySourceTable.values());
    }

    /**
     * Key fields the source lets be NULL. Target rows are found by their key, and key columns are created NOT NULL, so
     * the first row with a NULL there would fail the job (or, in MongoDB, share one document with every other such row).
     */
    private static List<String> nullableKeyFields(DataSource ds, TableSchema table, List<String> keyOverride) {
        List<String> key = keyOverride.isEmpty() ? table.primaryKey() : keyOverride;
        return key.stream().filter(k -> table.column(k).map(Column::nullable).orElse(false))
                .map(k -> "key field '" + k + "' of table " + table.qualifiedName() + " (datasource '" + ds.name()
                        + "') allows NULL, and a target row cannot be found by a NULL key; declare the column NOT NULL in "
                        + "the source, or name key fields that are NOT NULL (key(...) in the pipeline, \"key\" of the "
                        + "target in JSON)")
                .toList();
    }

    /** A planned target table and the source table it comes from, named as errors show it. */
    private record Planned(String label, TargetTable table) {
        boolean sameShape(Planned other) {
            return table.columnNames().equals(other.table.columnNames()) && table.keyFields().equals(other.table.keyFields());
        }
    }
}
