package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetSchemaChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the column changes a row of a new shape shows: reads the source table's schema again, with the same type
 * mapping as planning, decides through the steps and the policy what changes in the target, and makes it there (or,
 * where the sink makes it after the rows before it, passes it on as an event); each change made is logged with the
 * job's marker.
 */
final class ColumnChanges {
    // The follower's logger: `tapflow logs` and the tests find schema changes under its name.
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeFollower.class);

    private final List<Step> steps;
    private final List<String> keyOverride;
    private final SchemaChangeRules rules;
    private final DataSource source;
    private final DataSource target;
    /**
     * Whether the sink may make a column change after the rows before it: not behind lookups, whose operators keep
     * table events out (a target row there is assembled from several tables), so the follower makes it at once.
     */
    private final boolean sinkMakesChanges;
    private final String prefix;

    ColumnChanges(List<Step> steps, List<String> keyOverride, SchemaChangeRules rules, DataSource source,
                  DataSource target, String logPrefix) {
        this.steps = steps;
        this.keyOverride = keyOverride;
        this.rules = rules;
        this.source = source;
        this.target = target;
        this.sinkMakesChanges = LookupTables.all(steps).isEmpty();
        this.prefix = logPrefix;
    }

    /**
     * Follows the change the row shows. The row's fields, in its order, are the table's columns at the row's position
     * in the stream, which may lie behind the source's schema of now (DDL made while the job was stopped, replayed in
     * order on resume): each field is described as the source describes it now, or, when the source no longer has
     * it, as the job knew it. So every change is made in the order the source made it, one row shape at a time.
     */
    void follow(String name, TargetEvolution table, Map<String, Object> row, long sourceTsMs, Collector<ChangeEvent> out) {
        TableSchema now = ConnectorFactories.source(source.type())
                .inspect(source, List.of(table.source().table()), keyOverride).tables().get(0);
        TableSchema atRow = schemaAtRow(name, row, table.source(), now);
        if (atRow == null) {
            return;
        }
        TargetEvolution.Outcome outcome;
        try {
            outcome = table.decide(atRow, steps, keyOverride, rules);
        } catch (TapflowException e) {
            LOG.error("{}{}", prefix, e.getMessage());
            throw JobFailures.rowFailure("following a schema change of " + name, e);
        }
        if (outcome.sourceChanges().isEmpty()) {
            return;
        }
        StringBuilder applied = new StringBuilder();
        SinkFactory sink = ConnectorFactories.sink(target.type());
        for (SchemaChange change : withSourceDefaults(outcome.targetChanges(), table.source().table())) {
            if (sinkMakesChanges && sink.altersInOrder(change)) {
                // Rows of the old shape may still wait in the sink (in every sink subtask at parallelism > 1): the
                // change is made once they are written.
                out.collect(TargetSchemaChanges.event(name, table.target().name(), change, sourceTsMs));
                applied.append(applied.length() == 0 ? "" : "; ").append(change.describe()).append(" (by the sink, after the rows before it)");
                continue;
            }
            String sql = sink.applySchemaChange(target, table.target().name(), change);
            applied.append(applied.length() == 0 ? "" : "; ").append(sql == null ? change.describe() + " (no DDL: "
                    + target.type() + " documents take the new shape)" : sql);
        }
        table.accept(outcome);
        LOG.info("{}schema change on {}: {} -> target: {} (policy {})", prefix, name,
                TargetEvolution.describe(outcome.sourceChanges()),
                applied.length() == 0 ? table.target().name() + " unchanged" : applied, rules.describe());
    }

    /**
     * The table's columns at the row's position; null when the row is older than what the job knows (a column the job
     * knows is missing from the row while the source still has it: the row was written before the column came, and is
     * replayed, e.g. a change made while the snapshot ran), which passes as it is.
     */
    private TableSchema schemaAtRow(String name, Map<String, Object> row, TableSchema known, TableSchema now) {
        if (known.columns().stream().anyMatch(c -> !row.containsKey(c.name()) && now.column(c.name()).isPresent())) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        for (String field : row.keySet()) {
            Optional<Column> column = now.column(field).or(() -> known.column(field));
            if (column.isPresent()) {
                columns.add(column.get());
            } else {
                LOG.warn("{}schema change on {}: column {} came and went while the job was stopped; the source no longer "
                        + "describes it, so its values are not written", prefix, name, field);
            }
        }
        return new TableSchema(now.database(), now.table(), columns, now.primaryKey());
    }

    /** Added columns named as in the source get its constant DEFAULT, which the source's existing rows got too. */
    private List<SchemaChange> withSourceDefaults(List<SchemaChange> changes, String table) {
        if (changes.stream().noneMatch(c -> c instanceof SchemaChange.AddColumn)) {
            return changes;
        }
        Map<String, String> defaults = ConnectorFactories.source(source.type()).constantDefaults(source, table);
        return changes.stream().map(c -> c instanceof SchemaChange.AddColumn add && defaults.containsKey(add.column().name())
                ? new SchemaChange.AddColumn(add.column(), defaults.get(add.column().name())) : c).toList();
    }
}
