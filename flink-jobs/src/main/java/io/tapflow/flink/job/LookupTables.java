package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.lookup.Embedding;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tables a pipeline's lookups read: found in the steps (nested lookups included) and inspected on their sources. */
public final class LookupTables {
    private LookupTables() {}

    /** Every lookup of these steps, nested ones after the lookup that holds them. */
    public static List<Step.Lookup> all(List<Step> steps) {
        List<Step.Lookup> out = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Step.Lookup lookup) {
                out.add(lookup);
                out.addAll(all(lookup.steps()));
            }
        }
        return out;
    }

    /**
     * Fails for a pipeline with lookups, for what cannot handle them yet (a running job's sampled verification, which
     * checks one key's row at a time, while a looked-up row depends on other tables).
     */
    public static void requireNone(io.tapflow.dsl.Pipeline pipeline, String what) {
        List<Step.Lookup> lookups = all(pipeline.steps());
        if (!lookups.isEmpty()) {
            throw new io.tapflow.dsl.TapflowException(what + ": pipeline '" + pipeline.name() + "' looks up rows (lookup '"
                    + lookups.get(0).id() + "'), and each of its target rows depends on several source tables, which "
                    + "a running job does not check yet; run tapflow verify instead");
        }
    }

    /** The looked-up tables, one source per datasource, each inspected like a source table (columns, primary key). */
    static List<JobPlan.Source> inspect(JobSpec spec) {
        Map<String, Set<String>> tablesByDataSource = new LinkedHashMap<>();
        all(spec.pipeline().steps()).forEach(l ->
                tablesByDataSource.computeIfAbsent(l.datasource(), d -> new LinkedHashSet<>()).add(l.table()));
        List<JobPlan.Source> sources = new ArrayList<>();
        tablesByDataSource.forEach((name, tables) -> {
            DataSource ds = spec.datasource(name).resolved();
            sources.add(new JobPlan.Source(ds, ConnectorFactories.source(ds.type()).inspect(ds, List.copyOf(tables), List.of())));
        });
        List<String> problems = new ArrayList<>();
        for (Step.Lookup lookup : all(spec.pipeline().steps())) {
            TableSchema table = schemaOf(sources, lookup);
            if (table.primaryKey().isEmpty()) {
                problems.add("lookup '" + lookup.id() + "' reads table " + table.qualifiedName() + " (datasource '"
                        + lookup.datasource() + "'), which has no primary key; a looked-up row must be identifiable to "
                        + "follow its changes");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException("pipeline '" + spec.pipeline().name() + "'", problems);
        }
        return sources;
    }

    /** The schema of the table a lookup reads. */
    public static TableSchema schemaOf(List<JobPlan.Source> lookupSources, Step.Lookup lookup) {
        for (JobPlan.Source source : lookupSources) {
            if (source.datasource().name().equals(lookup.datasource())) {
                for (TableSchema table : source.tables().tables()) {
                    if (table.table().equals(lookup.table()) || table.qualifiedName().equals(lookup.table())) {
                        return table;
                    }
                }
            }
        }
        throw new IllegalStateException("lookup '" + lookup.id() + "': table " + lookup.table() + " was not inspected");
    }

    /**
     * Whether a flattened lookup leaves out this looked-up field: one that would land on a join field of the row it
     * is joined with (with {@code flatten("")} and a join on equally named fields). The value is the row's own where
     * a row matches; where none matches, flattening would overwrite it with NULL.
     */
    public static boolean flattensOntoItsJoinField(Step.Lookup lookup, String childField) {
        return lookup.on().stream().anyMatch(j -> j.child().equals(childField)
                && j.parent().equals(lookup.flattenPrefix() + childField));
    }

    /** How a lookup puts its matches into a row: the looked-up rows' fields after their own steps, its shape. */
    public static Embedding embedding(Step.Lookup lookup, List<JobPlan.Source> lookupSources) {
        TableSchema table = schemaOf(lookupSources, lookup);
        TargetTable child = TargetColumns.plan(lookup.steps(), table, List.of(), table.table(), new ArrayList<>(),
                schemas(lookup.steps(), lookupSources));
        List<String> arrayKey = lookup.arrayKey().isEmpty() ? table.primaryKey() : lookup.arrayKey();
        List<String> flattened = child.columnNames().stream()
                .filter(c -> lookup.flattenPrefix() == null || !flattensOntoItsJoinField(lookup, c)).toList();
        return new Embedding(lookup.as(), lookup.many(), arrayKey, lookup.flattenPrefix(), flattened);
    }

    /** Each lookup's table schema, for planning columns. */
    static Map<Step.Lookup, TableSchema> schemas(List<Step> steps, List<JobPlan.Source> lookupSources) {
        Map<Step.Lookup, TableSchema> out = new LinkedHashMap<>();
        all(steps).forEach(l -> out.put(l, schemaOf(lookupSources, l)));
        return out;
    }
}
