package io.tapflow.flink.verify;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.LookupTables;
import io.tapflow.flink.lookup.Embedding;
import io.tapflow.flink.lookup.JoinKeys;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.step.RowStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.Collector;

/**
 * A lookup as {@code tapflow verify} reproduces it: embeds into a row the looked-up table's rows that match it now,
 * read from that table by its join fields, in the shape the job's join gives them ({@link Embedding}: the object is
 * the first match by row key, an array is ordered by its array key, flattened fields are prefixed). One query per
 * row with a join value; a row with a NULL join field embeds nothing. Only lookups without steps of their own are
 * reproduced ({@link #requireSupported}).
 */
final class LookupRows implements RowStep {
    private static final long serialVersionUID = 1L;
    private final Step.Lookup lookup;
    private final TableSchema table;
    private final Embedding embedding;
    private final DataSource datasource;
    private transient SourceReader reader;

    LookupRows(Step.Lookup lookup, List<JobPlan.Source> lookupSources) {
        this.lookup = lookup;
        this.table = LookupTables.schemaOf(lookupSources, lookup);
        this.embedding = LookupTables.embedding(lookup, lookupSources);
        this.datasource = lookupSources.stream().map(JobPlan.Source::datasource)
                .filter(ds -> ds.name().equals(lookup.datasource())).findFirst().orElseThrow();
    }

    /** Refuses what verify cannot reproduce yet: a lookup with steps of its own, or one nested in another. */
    static void requireSupported(io.tapflow.dsl.Pipeline pipeline) {
        for (Step step : pipeline.steps()) {
            if (step instanceof Step.Lookup l && !l.steps().isEmpty()) {
                throw new TapflowException("tapflow verify: pipeline '" + pipeline.name() + "': lookup '" + l.id()
                        + "' has steps of its own (" + l.steps().get(0).getClass().getSimpleName().toLowerCase()
                        + (l.steps().get(0) instanceof Step.Lookup ? ": a nested lookup" : "") + "), which tapflow verify "
                        + "does not reproduce yet; it verifies lookups without steps of their own (object, array, flatten)");
            }
        }
    }

    @Override
    public void open() {
        reader = VerifyReaders.source(datasource);
    }

    @Override
    public void apply(ChangeEvent event, Collector<ChangeEvent> out) {
        Map<String, Object> row = new LinkedHashMap<>(event.after());
        List<Object> values = new ArrayList<>(lookup.on().size());
        List<String> childFields = new ArrayList<>(lookup.on().size());
        boolean joined = true;
        for (Step.JoinField on : lookup.on()) {
            Object value = row.get(on.parent());
            joined &= value != null;
            values.add(value);
            childFields.add(on.child());
        }
        List<Map<String, Object>> matches = joined ? byRowKey(reader.rowsWhere(table, childFields, values)) : List.of();
        embedding.embed(row, matches);
        out.collect(new ChangeEvent(event.op(), event.table(), event.key(), null, row, event.sourceTsMs()));
    }

    /** The matches in the order the job's join holds them: by row key. */
    private List<Map<String, Object>> byRowKey(List<Map<String, Object>> rows) {
        TreeMap<String, Map<String, Object>> byKey = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> key = new LinkedHashMap<>();
            table.primaryKey().forEach(k -> key.put(k, row.get(k)));
            byKey.put(JoinKeys.rowKey(new ChangeEvent(Op.READ, table.qualifiedName(), key, null, row, 0)), row);
        }
        return new ArrayList<>(byKey.values());
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
