package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SourceSpec;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TablePattern;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.schema.NewTables;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The table patterns of a pipeline's sources, for tables created while the job runs: whether the pipeline selects such
 * a table, and if so its schema (read from the source as planning reads it) and its target table (planned through
 * the steps as planning plans it).
 */
final class PatternTables implements NewTables {
    private static final long serialVersionUID = 1L;

    /** One source's patterns; {@code namespace} is its database (PostgreSQL: schema), the prefix its events carry. */
    private record Selection(DataSource datasource, String namespace, List<String> include, List<String> exclude)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final List<Selection> selections;
    private final List<Step> steps;
    private final List<String> keyOverride;
    private final String targetTable;

    private PatternTables(List<Selection> selections, List<Step> steps, List<String> keyOverride, String targetTable) {
        this.selections = List.copyOf(selections);
        this.steps = List.copyOf(steps);
        this.keyOverride = List.copyOf(keyOverride);
        this.targetTable = targetTable;
    }

    /** The plan's patterns; null when no source selects tables by pattern (then no new table is the pipeline's). */
    static PatternTables of(JobPlan plan) {
        List<Selection> selections = new ArrayList<>();
        for (int i = 0; i < plan.sources().size(); i++) {
            SourceSpec spec = plan.pipeline().sources().get(i);
            DataSource ds = plan.sources().get(i).datasource();
            if (spec.hasPatterns() && !spec.hasQuery()) {
                selections.add(new Selection(ds, ConnectorFactories.source(ds.type()).namespace(ds), spec.include(), spec.exclude()));
            }
        }
        return selections.isEmpty() ? null
                : new PatternTables(selections, plan.pipeline().steps(), plan.pipeline().target().key(), plan.pipeline().target().table());
    }

    /** Whether a source's patterns select the table ({@code namespace.table}, as events name it). */
    boolean selects(DataSource source, String sourceTable) {
        return selectionOf(source, sourceTable) != null;
    }

    /** The table as the job will know it from now on; null when the pipeline does not select it. */
    TargetEvolution plan(DataSource source, String sourceTable) {
        Selection selection = selectionOf(source, sourceTable);
        return selection == null ? null : planned(selection, sourceTable);
    }

    @Override
    public TargetTable plan(String sourceTable) {
        Selection selection = selections.stream().filter(s -> selected(s, sourceTable)).findFirst().orElse(null);
        return selection == null ? null : planned(selection, sourceTable).target();
    }

    private Selection selectionOf(DataSource source, String sourceTable) {
        return selections.stream().filter(s -> s.datasource().name().equals(source.name()) && selected(s, sourceTable))
                .findFirst().orElse(null);
    }

    private static boolean selected(Selection s, String sourceTable) {
        return sourceTable.startsWith(s.namespace() + ".")
                && TablePattern.selects(s.include(), s.exclude(), s.namespace(), bare(s, sourceTable));
    }

    private TargetEvolution planned(Selection s, String sourceTable) {
        TableSchema schema = ConnectorFactories.source(s.datasource().type())
                .inspect(s.datasource(), List.of(bare(s, sourceTable)), keyOverride).tables().get(0);
        List<String> problems = new ArrayList<>();
        TargetTable target = TargetColumns.plan(steps, schema, keyOverride, initialName(schema), problems);
        if (!problems.isEmpty()) {
            throw new TapflowException("table " + sourceTable + ", created in datasource '" + s.datasource().name()
                    + "' while the job runs, matches the pipeline's table patterns but cannot be followed: "
                    + String.join("; ", problems));
        }
        return new TargetEvolution(schema, target);
    }

    /**
     * The problem, if a new table goes to the target table of a known one only because rename_tables changes the case
     * of their names ({@code Invoice} created beside {@code invoice}): their rows would silently share one table.
     */
    String caseCollision(TargetEvolution table, Collection<TargetEvolution> known) {
        CaseFoldedCollisions collisions = new CaseFoldedCollisions(steps);
        for (TargetEvolution other : known) {
            collisions.check(other.source().qualifiedName(), initialName(other.source()), other.target().name());
        }
        return collisions.check(table.source().qualifiedName(), initialName(table.source()), table.target().name());
    }

    /** A table's target name before the steps rename it. */
    private String initialName(TableSchema schema) {
        return targetTable != null ? targetTable : schema.table();
    }

    private static String bare(Selection s, String sourceTable) {
        return sourceTable.substring(s.namespace().length() + 1);
    }
}
