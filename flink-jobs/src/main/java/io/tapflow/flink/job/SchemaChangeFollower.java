package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SchemaChangePolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.metrics.SourceProgress;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.sink.SinkContext;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows schema changes of one source's tables while the job runs, right after the source. Debezium reads the
 * binlog's DDL (and PostgreSQL's relation messages), so a change shows as rows of a new shape: a field set the job does
 * not know, or a value its column type cannot hold (a widened column). The source table's schema is then read again,
 * with the same type mapping as planning, and what changed is made in the target (through the steps, under the
 * pipeline's schema-change policy) before the row goes on, so the sink never meets a row its table cannot take. Each
 * change made is logged with the job's marker, for {@code tapflow logs}. A read that finds nothing new (a row replayed
 * from before a change the job already knows) lets the row pass.
 *
 * <p>It also takes in tables created while the job runs that the pipeline's patterns select, reports dropped and
 * truncated tables (passing a TRUNCATE on to the sink under evolve), and keeps what it knows of each table in the
 * job's state, so a restored job follows the DDL made while it was stopped in order.
 */
final class SchemaChangeFollower extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeFollower.class);
    /** Values that do not fit read the schema again at most this often per table (a value may not fit for good). */
    private static final long VALUE_RECHECK_MS = 10_000;

    private final List<io.tapflow.dsl.Step> steps;
    private final List<String> keyOverride;
    private final SchemaChangePolicy policy;
    private final DataSource source;
    private final DataSource target;
    private final PatternTables newTables;
    /** Target tables written by more than one source table (of any source): a TRUNCATE of one cannot empty them. */
    private final Set<String> sharedTargets;
    /** Tables read only to be looked up: their rows go on to the lookups, never to a table of their own. */
    private final LookedUpTableFollower lookedUp;
    private final int parallelism;
    private final SinkContext targetContext;
    private final Map<String, TargetEvolution> tables = new HashMap<>();
    /** Tables of the source this job does not follow: not selected, or new while the policy is ignore. */
    private transient Set<String> passedOver;
    private transient ListState<byte[]> state;
    private transient Map<String, Set<String>> knownFields;
    private transient Map<String, Set<String>> lastCheckedShape;
    private transient Map<String, Long> lastValueRecheck;
    private transient String prefix;

    /**
     * @param newTables the pipeline's table patterns, which tables created while the job runs may match; null if none
     * @param lookedUp  follows the tables this source reads only for lookups
     */
    SchemaChangeFollower(Pipeline pipeline, DataSource source, List<TableSchema> schemas, List<TargetTable> targets,
                         DataSource target, PatternTables newTables, Set<String> sharedTargets, LookedUpTableFollower lookedUp) {
        this.steps = pipeline.steps();
        this.lookedUp = lookedUp;
        this.newTables = newTables;
        this.sharedTargets = Set.copyOf(sharedTargets);
        this.parallelism = pipeline.settings().parallelism();
        this.targetContext = new SinkContext(pipeline.name(), pipeline.settings().onError(), null,
                pipeline.settings().schemaChanges());
        this.keyOverride = pipeline.target().key();
        this.policy = pipeline.settings().schemaChanges();
        this.source = source;
        this.target = target;
        Map<String, TargetTable> bySource = TargetTable.bySourceTable(targets);
        schemas.forEach(s -> tables.put(s.qualifiedName(), new TargetEvolution(s, bySource.get(s.qualifiedName()))));
    }

    /**
     * The tables' schemas are part of the job's state: restored, the job knows each table as of the checkpoint's
     * position in the change stream (not as planning found it now), so the changes made while it was stopped are
     * followed in order as their rows are replayed. Every subtask stores what it knows and, restored, takes for each
     * table the copy that accepted the most changes (the subtask that read the change stream).
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("known-table-schemas", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        if (!context.isRestored()) {
            return;
        }
        Map<String, TargetEvolution> restored = new HashMap<>();
        for (byte[] entry : state.get()) {
            TargetEvolution t = TargetEvolutionSerializer.INSTANCE.fromState(entry);
            restored.merge(t.source().qualifiedName(), t, (a, b) -> a.accepted() >= b.accepted() ? a : b);
        }
        restored.forEach((name, t) -> {
            TargetEvolution planned = tables.get(name);
            // A pipeline edited between runs may send the table elsewhere: then planning's target is the one to follow.
            if (planned == null || planned.target().name().equals(t.target().name())) {
                tables.put(name, t);
            }
        });
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.clear();
        for (TargetEvolution t : tables.values()) {
            state.add(TargetEvolutionSerializer.INSTANCE.toState(t));
        }
    }

    @Override
    public void open(OpenContext context) {
        knownFields = new HashMap<>();
        passedOver = new HashSet<>();
        lastCheckedShape = new HashMap<>();
        lastValueRecheck = new HashMap<>();
        tables.forEach((name, t) -> knownFields.put(name, names(t.source())));
        prefix = SourceProgress.MARKER + getRuntimeContext().getJobInfo().getJobId() + "] ";
        lookedUp.open();
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (event.op().isTableEvent()) {
            report(event, out);
            return;
        }
        TargetEvolution table = tables.get(event.table());
        Map<String, Object> row = event.latestRow();
        if (table == null && lookedUp.tables().contains(event.table())) {
            lookedUp.apply(event, prefix);
            out.collect(event);
            return;
        }
        if (table == null && newTables != null && row != null) {
            table = pickUp(event.table());
            if (table == null) {
                return;
            }
        }
        if (table == null || row == null) {
            out.collect(event);
            return;
        }
        Set<String> known = knownFields.get(event.table());
        boolean sameShape = row.keySet().equals(known);
        if (!sameShape && !row.keySet().equals(lastCheckedShape.get(event.table()))
                || sameShape && !fits(row, table.source()) && recheckDue(event.table())) {
            follow(event.table(), table, row, event.sourceTsMs(), out);
            lastCheckedShape.put(event.table(), Set.copyOf(row.keySet()));
            known = knownFields.get(event.table());
        }
        if (!sameShape) {
            // Only fields the job knows go on: under ignore, new columns; otherwise a column the source no longer has
            // to describe (added and dropped again while the job was stopped), which the follow reported.
            strip(event.before(), known);
            strip(event.after(), known);
        }
        out.collect(event);
    }

    /**
     * Follows the change the row shows. The row's fields, in its order, are the table's columns at the row's position
     * in the stream, which may lie behind the source's schema of now (DDL made while the job was stopped, replayed in
     * order on resume): each field is described as the source describes it now, or, when the source no longer has
     * it, as the job knew it. So every change is made in the order the source made it, one row shape at a time.
     */
    private void follow(String name, TargetEvolution table, Map<String, Object> row, long sourceTsMs,
                        Collector<ChangeEvent> out) {
        TableSchema now = ConnectorFactories.source(source.type())
                .inspect(source, List.of(table.source().table()), keyOverride).tables().get(0);
        TableSchema atRow = schemaAtRow(name, row, table.source(), now);
        if (atRow == null) {
            return;
        }
        TargetEvolution.Outcome outcome;
        try {
            outcome = table.decide(atRow, steps, keyOverride, policy);
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
            if (sink.altersInOrder() && parallelism == 1 && TargetSchemaChanges.inOrder(change)) {
                // Rows of the old shape may still wait in the sink: it makes the change once they are written.
                out.collect(TargetSchemaChanges.event(name, change, sourceTsMs));
                applied.append(applied.length() == 0 ? "" : "; ").append(change.describe()).append(" (by the sink, after the rows before it)");
                continue;
            }
            String sql = sink.applySchemaChange(target, table.target().name(), change);
            applied.append(applied.length() == 0 ? "" : "; ").append(sql == null ? change.describe() + " (no DDL: "
                    + target.type() + " documents take the new shape)" : sql);
        }
        table.accept(outcome);
        knownFields.put(name, names(table.source()));
        LOG.info("{}schema change on {}: {} -> target: {} (policy {})", prefix, name,
                TargetEvolution.describe(outcome.sourceChanges()),
                applied.length() == 0 ? table.target().name() + " unchanged" : applied, policy.text());
    }

    /**
     * A dropped or truncated source table of the pipeline is reported. The target table of a dropped one is left as it
     * is under every policy (fail stops the job): it may hold more than the source table did (a union, or rows kept on
     * purpose), and dropping it cannot be undone. A TRUNCATE goes on to the sink, which empties the target table, under
     * evolve when the target can and the table is its only writer; otherwise it is reported and not applied. A dropped
     * table the patterns select is forgotten, so that one created again under its name is picked up as a new table.
     */
    private void report(ChangeEvent event, Collector<ChangeEvent> out) {
        String name = event.table();
        TargetEvolution table = tables.get(name);
        if (table == null) {
            return;
        }
        String ddl = event.op() == Op.DROP_TABLE ? "DROP TABLE" : "TRUNCATE";
        if (policy == SchemaChangePolicy.FAIL) {
            String message = "schema change on " + name + ": " + ddl + "; the pipeline's schema-change policy is fail, so the "
                    + "job stops (choose schemaChanges(\"lenient\"), \"evolve\" or \"ignore\" to let it continue)";
            LOG.error("{}{}", prefix, message);
            throw JobFailures.rowFailure("following a schema change of " + name, new TapflowException(message));
        }
        if (event.op() == Op.TRUNCATE && policy == SchemaChangePolicy.EVOLVE) {
            String refusal = truncateRefusal(table.target());
            LOG.info("{}schema change on {}: TRUNCATE -> target: {} (policy evolve)", prefix, name, refusal == null
                    ? "every row of " + table.target().name() + " deleted" : table.target().name() + " keeps its rows (" + refusal + ")");
            if (refusal == null) {
                out.collect(event);
            }
            return;
        }
        LOG.info("{}schema change on {}: {} -> target: {} (policy {})", prefix, name, ddl, table.target().name()
                + (event.op() == Op.DROP_TABLE ? " left as it is" : " keeps its rows (a TRUNCATE is reported, not applied)"),
                policy.text());
        if (event.op() == Op.DROP_TABLE && newTables != null && newTables.selects(source, name)) {
            tables.remove(name);
            knownFields.remove(name);
            lastCheckedShape.remove(name);
        }
    }

    /** Why a TRUNCATE cannot empty the target table under evolve; null when it can. */
    private String truncateRefusal(TargetTable targetTable) {
        if (!ConnectorFactories.sink(target.type()).appliesTruncate()) {
            return target.type() + " targets are not emptied";
        }
        if (parallelism > 1) {
            return "at parallelism " + parallelism + " the table's rows are spread over sink subtasks, which one TRUNCATE "
                    + "does not reach together";
        }
        long writers = tables.values().stream().filter(t -> t.target().name().equals(targetTable.name())).count();
        if (writers > 1 || sharedTargets.contains(targetTable.name())) {
            return "other source tables write it too, and their rows cannot be told apart from this one's";
        }
        return null;
    }

    /** Target tables that more than one source table of the plan writes (a union). */
    static Set<String> sharedTargets(JobPlan plan) {
        Map<String, TargetTable> bySource = TargetTable.bySourceTable(plan.targetTables());
        Map<String, Long> writers = plan.sources().stream().flatMap(s -> s.tables().tables().stream())
                .map(t -> bySource.get(t.qualifiedName())).filter(java.util.Objects::nonNull)
                .collect(Collectors.groupingBy(TargetTable::name, Collectors.counting()));
        return writers.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * A table the job did not know: created while it runs (or while it was stopped), and selected by the pipeline's
     * patterns (the binlog reader may capture more: the patterns' exclusions are applied here). Under lenient and
     * evolve its target table is created when missing and its rows go there from then on; under ignore it is reported
     * and passed over; under fail the job stops. Returns null for a table whose rows are not the pipeline's.
     */
    private TargetEvolution pickUp(String name) {
        if (passedOver.contains(name)) {
            return null;
        }
        if (!newTables.selects(source, name)) {
            passedOver.add(name);
            return null;
        }
        String what = "new table " + name + " matches the pipeline's table patterns";
        if (policy == SchemaChangePolicy.FAIL) {
            LOG.error("{}schema change on {}: CREATE TABLE; the schema-change policy is fail, so the job stops", prefix, name);
            throw JobFailures.rowFailure("following a new table", new TapflowException(what + "; the pipeline's "
                    + "schema-change policy is fail, so the job stops (choose schemaChanges(\"lenient\"), \"evolve\" or "
                    + "\"ignore\" to let it continue)"));
        }
        if (policy == SchemaChangePolicy.IGNORE) {
            LOG.info("{}schema change on {}: CREATE TABLE -> target: not read (policy ignore)", prefix, name);
            passedOver.add(name);
            return null;
        }
        TargetEvolution table;
        try {
            table = newTables.plan(source, name);
            checkSameShapeAsOthersOf(table.target());
        } catch (TapflowException e) {
            LOG.error("{}{}", prefix, e.getMessage());
            throw JobFailures.rowFailure("following a new table", e);
        }
        SinkFactory sink = ConnectorFactories.sink(target.type());
        List<String> created = sink.prepare(target, List.of(table.target()), targetContext);
        tables.put(name, table);
        knownFields.put(name, names(table.source()));
        LOG.info("{}schema change on {}: CREATE TABLE -> target: {} (policy {})", prefix, name, created.isEmpty()
                ? "rows go to " + table.target().name() + ", which exists"
                : describeCreation(sink, table.target()), policy.text());
        return table;
    }

    private String describeCreation(SinkFactory sink, TargetTable table) {
        String sql = sink.createStatement(target, table);
        return sql == null ? "created " + table.name() : sql.replaceAll("\\s*\n\\s*", " ");
    }

    /** Several source tables may go to one target table (a union) only with the same columns and key, as planning checks. */
    private void checkSameShapeAsOthersOf(TargetTable table) {
        for (TargetEvolution other : tables.values()) {
            TargetTable known = other.target();
            if (known.name().equals(table.name()) && (!known.columnNames().equals(table.columnNames())
                    || !known.keyFields().equals(table.keyFields()))) {
                throw new TapflowException("new table " + table.sourceTable() + " goes to target table " + table.name()
                        + " with " + known.sourceTable() + " but brings different columns or keys: " + table.columnNames()
                        + " key " + table.keyFields() + " vs " + known.columnNames() + " key " + known.keyFields()
                        + "; align them with include/rename steps");
            }
        }
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
        List<Column> columns = new java.util.ArrayList<>();
        for (String field : row.keySet()) {
            java.util.Optional<Column> column = now.column(field).or(() -> known.column(field));
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

    /** Whether every value fits the type the job knows for its column; a widened column shows here first. */
    private static boolean fits(Map<String, Object> row, TableSchema schema) {
        for (Column c : schema.columns()) {
            Object v = row.get(c.name());
            if (v instanceof String s && c.length() > 0 && s.length() > c.length()
                    && (c.dataType().equals("varchar") || c.dataType().equals("char"))) {
                return false;
            }
            if (v instanceof BigDecimal d && c.precision() > 0 && c.dataType().equals("decimal")
                    && d.precision() - d.scale() > c.precision() - Math.max(0, c.scale())) {
                return false;
            }
            if (v instanceof Long && (c.dataType().equals("int") || c.dataType().equals("mediumint")) && !c.unsigned()) {
                return false;
            }
        }
        return true;
    }

    private boolean recheckDue(String table) {
        long now = System.currentTimeMillis();
        Long last = lastValueRecheck.get(table);
        if (last != null && now - last < VALUE_RECHECK_MS) {
            return false;
        }
        lastValueRecheck.put(table, now);
        return true;
    }

    private static void strip(Map<String, Object> row, Set<String> known) {
        if (row != null) {
            row.keySet().retainAll(known);
        }
    }

    private static Set<String> names(TableSchema schema) {
        return schema.columns().stream().map(Column::name).collect(Collectors.toUnmodifiableSet());
    }
}
