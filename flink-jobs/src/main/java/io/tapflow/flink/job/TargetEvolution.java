package io.tapflow.flink.job;

import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.SchemaDiff;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One source table's schema as the job knows it and the columns its target table has, and what a new source schema
 * means for them under the pipeline's policy of each kind of change: the source table is planned through the steps again (so exclude and rename steps
 * apply to new columns, an include list stays as it is, and a step the change breaks is reported), and the difference
 * of the target columns is what the policy lets reach the target.
 */
final class TargetEvolution implements Serializable {
    private static final long serialVersionUID = 1L;
    private TableSchema source;
    private TargetTable target;
    /** How many outcomes were accepted: of two copies of one table's knowledge (from parallel subtasks), the newer. */
    private int accepted;

    TargetEvolution(TableSchema source, TargetTable target) {
        this(source, target, 0);
    }

    TargetEvolution(TableSchema source, TargetTable target, int accepted) {
        this.source = source;
        this.target = target;
        this.accepted = accepted;
    }

    int accepted() {
        return accepted;
    }

    TableSchema source() {
        return source;
    }

    TargetTable target() {
        return target;
    }

    /** The source's changes and the target's, decided; apply the target's, then call {@link #accept}. */
    record Outcome(List<SchemaChange> sourceChanges, List<SchemaChange> targetChanges, TableSchema newSource,
                   TargetTable newTarget) {}

    /**
     * Each change follows the policy of its kind: an ignored change is not taken into the job's knowledge of the
     * source (an added column is not written, a dropped one is written NULL), the others reach the target as their
     * policy says.
     *
     * @throws TapflowException when a change's policy is fail, or the new schema breaks a step (naming both)
     */
    Outcome decide(TableSchema newSource, List<Step> steps, List<String> keyOverride, SchemaChangeRules rules) {
        List<SchemaChange> sourceChanges = SchemaDiff.between(source.columns(), newSource.columns());
        if (sourceChanges.isEmpty()) {
            return new Outcome(sourceChanges, List.of(), newSource, target);
        }
        String what = "schema change on " + source.qualifiedName() + ": " + describe(sourceChanges);
        for (SchemaChange c : sourceChanges) {
            if (SchemaChangeKinds.fails(rules, SchemaChangeKinds.of(c))) {
                throw new TapflowException(what + SchemaChangeKinds.failClause(rules, SchemaChangeKinds.of(c)));
            }
        }
        List<SchemaChange> followed = sourceChanges.stream()
                .filter(c -> rules.policyFor(SchemaChangeKinds.of(c)) != SchemaChangePolicy.IGNORE).toList();
        if (followed.isEmpty()) {
            return new Outcome(sourceChanges, List.of(), source, target);
        }
        TableSchema known = followed.size() == sourceChanges.size() ? newSource
                : new TableSchema(source.database(), source.table(), applied(source.columns(), followed), source.primaryKey());
        List<String> problems = new ArrayList<>();
        TargetTable planned = TargetColumns.plan(steps, known, keyOverride, target.name(), problems);
        if (!problems.isEmpty()) {
            throw new TapflowException(what + " breaks the pipeline: " + String.join("; ", problems));
        }
        List<SchemaChange> targetChanges = new ArrayList<>();
        for (SchemaChange c : SchemaDiff.between(target.columns(), planned.columns())) {
            SchemaChangePolicy policy = rules.policyFor(SchemaChangeKinds.of(c));
            if (policy == SchemaChangePolicy.EVOLVE || policy == SchemaChangePolicy.LENIENT
                    && (c instanceof SchemaChange.AddColumn || c instanceof SchemaChange.ModifyColumn)) {
                targetChanges.add(c);
            } else if (policy == SchemaChangePolicy.LENIENT && c instanceof SchemaChange.RenameColumn r) {
                // lenient: the old column stays (NULL from now on), the new name is a new column
                targetChanges.add(new SchemaChange.AddColumn(planned.columns().stream().filter(col -> col.name().equals(r.to()))
                        .findFirst().orElseThrow()));
            }
        }
        return new Outcome(sourceChanges, targetChanges, known,
                new TargetTable(target.sourceTable(), target.name(), target.keyFields(), applied(target.columns(), targetChanges)));
    }

    /** Takes the outcome as the job's knowledge, once its target changes are made. */
    void accept(Outcome outcome) {
        source = outcome.newSource();
        target = outcome.newTarget();
        accepted++;
    }

    static String describe(List<SchemaChange> changes) {
        return String.join(", ", changes.stream().map(SchemaChange::describe).toList());
    }

    /** The columns once the changes are made. */
    private static List<Column> applied(List<Column> before, List<SchemaChange> changes) {
        Map<String, Column> columns = new LinkedHashMap<>();
        before.forEach(c -> columns.put(c.name(), c));
        for (SchemaChange c : changes) {
            if (c instanceof SchemaChange.AddColumn add) {
                columns.put(add.column().name(), add.column());
            } else if (c instanceof SchemaChange.DropColumn drop) {
                columns.remove(drop.name());
            } else if (c instanceof SchemaChange.ModifyColumn m) {
                columns.put(m.after().name(), m.after());
            } else if (c instanceof SchemaChange.RenameColumn r) {
                Map<String, Column> renamed = new LinkedHashMap<>();
                columns.forEach((name, col) -> renamed.put(name.equals(r.from()) ? r.to() : name, name.equals(r.from())
                        ? new Column(r.to(), col.dataType(), col.columnType(), col.length(), col.precision(), col.scale(),
                        col.nullable(), col.unsigned()) : col));
                columns.clear();
                columns.putAll(renamed);
            }
        }
        return List.copyOf(columns.values());
    }
}
