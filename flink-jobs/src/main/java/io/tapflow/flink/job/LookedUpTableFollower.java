package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.SchemaDiff;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the column changes of tables read only to be looked up, for {@link SchemaChangeFollower}. Their rows are
 * embedded, so a change reaches the target through the documents (and the columns of a flattened lookup) under the
 * pipeline's policy: an added column becomes a field of the embedded rows (evolve, lenient) and, where a top-level
 * lookup flattens the table, a target column {@code prefix + name}; a dropped column disappears from them (evolve) or
 * stays as null (lenient, ignore); ignore embeds no new column; fail stops the job naming the change. A row's shape
 * shows the change, as for the pipeline's own tables. What the job knows of a looked-up table is part of the job's
 * state ({@link #snapshot}, {@link #restore}): a restored job embeds the columns it embedded at the checkpoint (a
 * column dropped under lenient stays, null), not the table as planning reads it now.
 */
final class LookedUpTableFollower implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LookedUpTableFollower.class);

    private final DataSource source;
    private final DataSource target;
    private final SchemaChangeRules rules;
    /** The planned schema of each looked-up table, by qualified name. */
    private final Map<String, TableSchema> planned;
    /** Per looked-up table, the prefixes under which top-level lookups without steps of their own flatten it. */
    private final Map<String, List<String>> flattenPrefixes;
    private final List<String> targetTables;
    /** The columns written into embedded rows per table: under lenient, dropped ones stay (null). */
    private transient Map<String, List<Column>> known;
    /** The number of changes followed per table, for choosing among the subtasks' copies on restore. */
    private transient Map<String, Integer> followed;
    private transient Map<String, Set<String>> lastShape;
    private transient Map<String, LookedUpTableState> restored;

    LookedUpTableFollower(JobPlan plan, DataSource source, List<TableSchema> lookedUp) {
        this.source = source;
        this.target = plan.target();
        this.rules = plan.pipeline().settings().schemaChangeRules();
        this.planned = lookedUp.stream().collect(Collectors.toMap(TableSchema::qualifiedName, t -> t, (a, b) -> a, LinkedHashMap::new));
        this.targetTables = plan.targetTables().stream().map(TargetTable::name).distinct().toList();
        Map<String, List<String>> prefixes = new HashMap<>();
        for (Step step : plan.pipeline().steps()) {
            if (step instanceof Step.Lookup lookup && lookup.flattenPrefix() != null && lookup.steps().isEmpty()
                    && lookup.datasource().equals(source.name())) {
                TableSchema table = LookupTables.schemaOf(plan.lookupSources(), lookup);
                prefixes.computeIfAbsent(table.qualifiedName(), t -> new ArrayList<>()).add(lookup.flattenPrefix());
            }
        }
        this.flattenPrefixes = Map.copyOf(prefixes);
    }

    Set<String> tables() {
        return planned.keySet();
    }

    void open() {
        known = new HashMap<>();
        followed = new HashMap<>();
        lastShape = new HashMap<>();
        planned.forEach((name, schema) -> known.put(name, schema.columns()));
        if (restored != null) {
            restored.values().forEach(t -> {
                known.put(t.table(), t.columns());
                followed.put(t.table(), t.followed());
            });
        }
    }

    /** What is known of each looked-up table, one state entry per table. */
    List<byte[]> snapshot() throws java.io.IOException {
        List<byte[]> entries = new ArrayList<>();
        for (Map.Entry<String, List<Column>> table : known.entrySet()) {
            entries.add(new LookedUpTableState(table.getKey(), followed.getOrDefault(table.getKey(), 0), table.getValue()).toBytes());
        }
        return entries;
    }

    /**
     * Takes what a checkpoint knew of the looked-up tables (every subtask's copy; the one that followed the most
     * changes wins), before {@link #open}. A table the pipeline no longer looks up is left out; one that is new to it
     * starts as planning reads it. State from before looked-up tables were kept holds none.
     */
    void restore(Iterable<byte[]> entries) throws java.io.IOException {
        restored = new HashMap<>();
        for (byte[] entry : entries) {
            LookedUpTableState t = LookedUpTableState.fromBytes(entry);
            if (planned.containsKey(t.table())) {
                restored.merge(t.table(), t, (a, b) -> a.followed() >= b.followed() ? a : b);
            }
        }
    }

    /**
     * Brings a looked-up row to the columns the policy embeds, following the change its shape shows first.
     *
     * @param prefix the job's log marker
     */
    void apply(ChangeEvent event, String prefix) {
        Map<String, Object> row = event.latestRow();
        List<Column> columns = known.get(event.table());
        if (row == null || columns == null || sameFields(row, columns)) {
            return;
        }
        if (!row.keySet().equals(lastShape.get(event.table()))) {
            follow(event.table(), row, prefix);
            lastShape.put(event.table(), Set.copyOf(row.keySet()));
            columns = known.get(event.table());
        }
        shape(event.before(), columns);
        shape(event.after(), columns);
    }

    private void follow(String name, Map<String, Object> row, String prefix) {
        List<Column> before = known.get(name);
        TableSchema now = ConnectorFactories.source(source.type()).inspect(source, List.of(planned.get(name).table()), List.of())
                .tables().get(0);
        if (before.stream().anyMatch(c -> !row.containsKey(c.name()) && now.column(c.name()).isPresent())) {
            return; // a row from before a change the job knows (replayed): it keeps the known columns, missing as null
        }
        List<Column> atRow = new ArrayList<>();
        for (String field : row.keySet()) {
            Optional<Column> column = now.column(field).or(() -> before.stream().filter(c -> c.name().equals(field)).findFirst());
            column.ifPresent(atRow::add);
        }
        List<SchemaChange> changes = SchemaDiff.between(before, atRow).stream()
                .filter(c -> !(c instanceof SchemaChange.ModifyColumn)).toList();
        if (changes.isEmpty()) {
            return;
        }
        String what = "schema change on " + name + " (looked up): " + TargetEvolution.describe(changes);
        SchemaChange failing = changes.stream().filter(c -> SchemaChangeKinds.fails(rules, SchemaChangeKinds.of(c))).findFirst().orElse(null);
        SchemaChangePolicy policy = policy(changes);
        if (failing != null) {
            String message = what + SchemaChangeKinds.failClause(rules, SchemaChangeKinds.of(failing));
            LOG.error("{}{}", prefix, message);
            throw JobFailures.rowFailure("following a schema change of " + name, new TapflowException(message));
        }
        if (policy == SchemaChangePolicy.IGNORE) {
            LOG.info("{}{} -> embedded rows unchanged (policy ignore)", prefix, what);
            return;
        }
        List<Column> next = new ArrayList<>(policy == SchemaChangePolicy.EVOLVE ? atRow : before);
        atRow.stream().filter(c -> next.stream().noneMatch(n -> n.name().equals(c.name()))).forEach(next::add);
        List<String> applied = new ArrayList<>();
        for (Column added : atRow) {
            if (before.stream().noneMatch(c -> c.name().equals(added.name()))) {
                for (String flatten : flattenPrefixes.getOrDefault(name, List.of())) {
                    applied.addAll(addFlattened(flatten, added));
                }
            }
        }
        known.put(name, List.copyOf(next));
        followed.merge(name, 1, Integer::sum);
        LOG.info("{}{} -> embedded rows now carry {}{} (policy {})", prefix, what,
                next.stream().map(Column::name).toList(), applied.isEmpty() ? "" : "; target: " + String.join("; ", applied),
                policy.text());
    }

    /**
     * One policy for the changes one row shows: ignore when each kind's policy is, evolve when each is, else lenient
     * (the embedded rows keep their columns and take the new ones).
     */
    private SchemaChangePolicy policy(List<SchemaChange> changes) {
        List<SchemaChangePolicy> policies = changes.stream().map(c -> rules.policyFor(SchemaChangeKinds.of(c))).distinct().toList();
        return policies.size() == 1 ? policies.get(0) : SchemaChangePolicy.LENIENT;
    }

    /** Adds the flattened column of an added looked-up column to each target table. */
    private List<String> addFlattened(String flattenPrefix, Column added) {
        Column flattened = new Column(flattenPrefix + added.name(), added.dataType(), added.columnType(), added.length(),
                added.precision(), added.scale(), true, added.unsigned());
        List<String> applied = new ArrayList<>();
        for (String table : targetTables) {
            String sql = ConnectorFactories.sink(target.type()).applySchemaChange(target, table,
                    new SchemaChange.AddColumn(flattened, null));
            applied.add(sql == null ? "ADD COLUMN " + flattened.name() + " (no DDL: " + target.type()
                    + " documents take the new shape)" : sql);
        }
        return applied;
    }

    private static boolean sameFields(Map<String, Object> row, List<Column> columns) {
        if (row.size() != columns.size()) {
            return false;
        }
        for (Column c : columns) {
            if (!row.containsKey(c.name())) {
                return false;
            }
        }
        return true;
    }

    /** Only known columns go on, each of them: one the row lacks (dropped, kept under lenient) as null. */
    private static void shape(Map<String, Object> row, List<Column> columns) {
        if (row == null) {
            return;
        }
        Set<String> names = columns.stream().map(Column::name).collect(Collectors.toSet());
        row.keySet().retainAll(names);
        columns.forEach(c -> row.putIfAbsent(c.name(), null));
    }
}
