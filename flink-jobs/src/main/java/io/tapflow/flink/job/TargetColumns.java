package io.tapflow.flink.job;

import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.Step;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.step.AddedFieldColumns;
import io.tapflow.flink.step.FieldTypeColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a source table's columns and key through the steps to the target table they produce, and reports steps
 * that name fields the table does not have at that point, or that would drop or lose the key.
 */
final class TargetColumns {
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final List<String> key;
    private final String table;
    private final List<String> problems;
    private final Map<Step.Lookup, TableSchema> lookupTables;
    /** Columns the source leaves unread (a type tapflow cannot read, dropped by the first steps): excluding them is fine. */
    private final Set<String> unread;
    private String targetName;

    private TargetColumns(TableSchema source, List<String> key, String targetName, List<String> problems,
                          Map<Step.Lookup, TableSchema> lookupTables, Set<String> unread) {
        this.lookupTables = lookupTables;
        this.unread = unread;
        source.columns().forEach(c -> columns.put(c.name(), c));
        this.key = new ArrayList<>(key);
        this.table = source.qualifiedName();
        this.targetName = targetName;
        this.problems = problems;
    }

    /** The target table of one source table; problems are added to {@code problems}. */
    static TargetTable plan(List<Step> steps, TableSchema source, List<String> keyOverride, String targetName,
                            List<String> problems) {
        return plan(steps, source, keyOverride, targetName, problems, Map.of());
    }

    /**
     * The target table of one source table whose steps may look up rows of the tables in {@code lookupTables}: an
     * embedded row or array becomes one {@link Column#DOCUMENT} column, a flattened row its own columns.
     */
    static TargetTable plan(List<Step> steps, TableSchema source, List<String> keyOverride, String targetName,
                            List<String> problems, Map<Step.Lookup, TableSchema> lookupTables) {
        return plan(steps, source, keyOverride, targetName, problems, lookupTables, Set.of());
    }

    /** As above, for a source table whose {@code unread} columns the source leaves out, which the first steps drop. */
    static TargetTable plan(List<Step> steps, TableSchema source, List<String> keyOverride, String targetName,
                            List<String> problems, Map<Step.Lookup, TableSchema> lookupTables, Set<String> unread) {
        TargetColumns t = new TargetColumns(source, keyOverride.isEmpty() ? source.primaryKey() : keyOverride, targetName,
                problems, lookupTables, unread);
        steps.forEach(t::apply);
        return new TargetTable(source.qualifiedName(), t.targetName, t.key, List.copyOf(t.columns.values()));
    }

    /**
     * The columns and key after each step, for {@code tapflow explain}: the source table's first (step "source"), then
     * one entry per step. Problems are not collected: the pipeline was planned already.
     */
    static List<PipelineExplanation.StepColumns> trace(List<Step> steps, TableSchema source, List<String> keyOverride) {
        TargetColumns t = new TargetColumns(source, keyOverride.isEmpty() ? source.primaryKey() : keyOverride,
                source.table(), new ArrayList<>(), Map.of(), Set.of());
        List<PipelineExplanation.StepColumns> out = new ArrayList<>();
        out.add(t.shape("source", "source"));
        for (Step step : steps) {
            t.apply(step);
            out.add(t.shape(step.id(), PipelineExplainer.kind(step)));
        }
        return out;
    }

    private PipelineExplanation.StepColumns shape(String step, String kind) {
        return new PipelineExplanation.StepColumns(step, kind, List.copyOf(columns.keySet()), List.copyOf(key));
    }

    private void apply(Step step) {
        if (step instanceof Step.AddField add) {
            columns.put(add.field(), AddedFieldColumns.of(add));
        } else if (step instanceof Step.IncludeFields inc) {
            inc.fields().forEach(f -> requireField(step, f));
            key.stream().filter(k -> !inc.fields().contains(k)).forEach(k -> problems.add(
                    "step '" + step.id() + "' leaves out key field '" + k + "' of " + table + "; include it"));
            columns.keySet().retainAll(inc.fields());
        } else if (step instanceof Step.ExcludeFields exc) {
            exc.fields().stream().filter(f -> !unread.contains(f)).forEach(f -> requireField(step, f));
            exc.fields().stream().filter(key::contains).forEach(k -> problems.add(
                    "step '" + step.id() + "' removes key field '" + k + "' of " + table + "; target rows need it"));
            exc.fields().forEach(columns::remove);
        } else if (step instanceof Step.RenameFields r) {
            rename(step, r.renames());
        } else if (step instanceof Step.ChangeType c) {
            retype(step, c.field(), c.to());
        } else if (step instanceof Step.ValueMap m) {
            retype(step, m.field(), FieldType.STRING);
        } else if (step instanceof Step.Unwind u) {
            retype(step, u.field(), FieldType.STRING);
            Column index = FieldTypeColumns.of(u.indexField(), FieldType.INTEGER);
            columns.put(u.indexField(), new Column(index.name(), "int", "int", -1, 10, 0, false, false));
            key.add(u.indexField());
        } else if (step instanceof Step.RenameTables t) {
            targetName = t.apply(targetName);
        } else if (step instanceof Step.Lookup lookup) {
            lookup(lookup);
        }
    }

    /**
     * A lookup's join fields must exist on both sides (this row at this point, the looked-up row after its own steps),
     * and so must its array key. Without the looked-up table's schema (explain, schema changes) an embedded field is
     * still one column; flattened fields are unknown there.
     */
    private void lookup(Step.Lookup lookup) {
        String where = "lookup '" + lookup.id() + "' (table " + lookup.table() + ")";
        lookup.on().forEach(j -> {
            if (!columns.containsKey(j.parent())) {
                problems.add(where + " joins on field '" + j.parent() + "', which " + table + " does not have at that "
                        + "point; it has: " + String.join(", ", columns.keySet()));
            }
        });
        TableSchema childSchema = lookupTables.get(lookup);
        TargetTable child = null;
        if (childSchema != null) {
            List<String> childProblems = new ArrayList<>();
            child = plan(lookup.steps(), childSchema, List.of(), childSchema.table(), childProblems, lookupTables);
            childProblems.forEach(p -> problems.add(where + ", in its looked-up rows: " + p));
            List<String> childColumns = child.columnNames();
            lookup.on().stream().map(Step.JoinField::child).filter(f -> !childColumns.contains(f)).forEach(f -> problems.add(
                    where + " joins on field '" + f + "' of the looked-up rows, which " + childSchema.qualifiedName()
                    + " does not have (after the lookup's own steps); it has: " + String.join(", ", childColumns)));
            lookup.arrayKey().stream().filter(f -> !childColumns.contains(f)).forEach(f -> problems.add(
                    where + " orders its array by field '" + f + "', which " + childSchema.qualifiedName()
                    + " does not have (after the lookup's own steps); it has: " + String.join(", ", childColumns)));
        }
        if (lookup.as() != null) {
            if (columns.containsKey(lookup.as())) {
                problems.add(where + " embeds as '" + lookup.as() + "', which " + table + " already has; choose another name");
            }
            columns.put(lookup.as(), new Column(lookup.as(), Column.DOCUMENT, Column.DOCUMENT, -1, -1, -1, true, false));
        } else if (child != null) {
            for (Column c : child.columns()) {
                if (LookupTables.flattensOntoItsJoinField(lookup, c.name())) {
                    continue;
                }
                String name = lookup.flattenPrefix() + c.name();
                if (columns.containsKey(name)) {
                    problems.add(where + " flattens field '" + c.name() + "' as '" + name + "', which " + table
                            + " already has; choose another prefix");
                }
                // Null where no row matches, whatever the looked-up table declares.
                columns.put(name, new Column(name, c.dataType(), c.columnType(), c.length(), c.precision(), c.scale(),
                        true, c.unsigned()));
            }
        }
    }

    private void rename(Step step, Map<String, String> renames) {
        renames.forEach((from, to) -> {
            if (requireField(step, from) && columns.containsKey(to) && !renames.containsKey(to)) {
                problems.add("step '" + step.id() + "' renames '" + from + "' to '" + to + "', which " + table + " already has");
            }
        });
        Map<String, Column> renamed = new LinkedHashMap<>();
        columns.forEach((name, c) -> {
            String to = renames.getOrDefault(name, name);
            renamed.put(to, new Column(to, c.dataType(), c.columnType(), c.length(), c.precision(), c.scale(), c.nullable(), c.unsigned()));
        });
        columns.clear();
        columns.putAll(renamed);
        key.replaceAll(k -> renames.getOrDefault(k, k));
    }

    private void retype(Step step, String field, FieldType type) {
        if (requireField(step, field)) {
            columns.put(field, FieldTypeColumns.of(field, type));
        }
    }

    private boolean requireField(Step step, String field) {
        if (columns.containsKey(field)) {
            return true;
        }
        problems.add("step '" + step.id() + "' names field '" + field + "', which " + table + " does not have at that point; "
                + "it has: " + String.join(", ", columns.keySet()));
        return false;
    }
}
