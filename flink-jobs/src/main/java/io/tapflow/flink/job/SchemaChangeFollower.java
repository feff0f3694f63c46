package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.SchemaChangeRules;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SourceCatalog;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.metrics.SourceProgress;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.source.ChangeStreamStart;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

/**
 * Follows schema changes of one source's tables while the job runs, right after the source. Debezium reads the
 * binlog's DDL (and PostgreSQL's relation messages), so a change shows as rows of a new shape: a field set the job does
 * not know, or a value its column type cannot hold (a widened column). The source table's schema is then read again,
 * with the same type mapping as planning, and what changed is made in the target (through the steps, under the
 * pipeline's schema-change policy) before the row goes on, so the sink never meets a row its table cannot take. Each
 * change made is logged with the job's marker, for {@code tapflow logs}. A read that finds nothing new (a row replayed
 * from before a change the job already knows) lets the row pass.
 *
 * <p>It also takes in tables created while the job runs that the pipeline's patterns select ({@link NewTableAdmission}),
 * reports dropped and truncated tables ({@link TableEventReport}), and keeps what it knows of each table in the job's
 * state, so a restored job follows the DDL made while it was stopped in order, and reads a snapshot of a table it
 * meets for the first time after a restore ({@link CatchUpSnapshots}). Column changes are made by {@link ColumnChanges}.
 *
 * <p>What it reads beside the change stream, it reads in the one subtask whose source reads the stream (at any
 * parallelism: the source says so with {@link ChangeStreamStart}, ahead of the stream's first change), so it joins
 * the stream in order, and another subtask's rows cannot overtake that subtask's changes of the same key on their way
 * to the sink. There the catch-up snapshots are read as the stream starts, without waiting for a change, and a source
 * whose change stream shows no DROP TABLE or no rows of tables created later (PostgreSQL) has its catalog polled every
 * few seconds ({@link #tick}, {@link CatalogWatch}), from that subtask alone: a dropped table is reported as the
 * binlog's DROP TABLE is, and a new table the patterns select is added to the change stream and read with a snapshot
 * of what it held.
 */
final class SchemaChangeFollower extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Values that do not fit read the schema again at most this often per table (a value may not fit for good). */
    private static final long VALUE_RECHECK_MS = 10_000;

    private final List<io.tapflow.dsl.Step> steps;
    private final List<String> keyOverride;
    private final SchemaChangeRules rules;
    private final DataSource source;
    private final DataSource target;
    private final PatternTables newTables;
    /** Target tables written by more than one source table (of any source), each with its writers: a TRUNCATE of one cannot empty them. */
    private final Map<String, Set<String>> sharedTargets;
    /** Tables read only to be looked up: their rows go on to the lookups, never to a table of their own. */
    private final LookedUpTableFollower lookedUp;
    private final int parallelism;
    private final SinkContext targetContext;
    /** Names the source's server-side resources (PostgreSQL: the publication a catalog watch adds tables to). */
    private final String sourceResourceName;
    private final Map<String, TargetEvolution> tables = new HashMap<>();
    private transient ListState<byte[]> state;
    private transient ListState<byte[]> lookedUpState;
    private transient Map<String, Set<String>> knownFields;
    private transient Map<String, Set<String>> lastCheckedShape;
    private transient Map<String, Long> lastValueRecheck;
    private transient Map<String, ValueFit> valueFits;
    private transient String prefix;
    private transient CatchUpSnapshots catchUp;
    private transient ColumnChanges columnChanges;
    private transient NewTableAdmission admission;
    private transient TableEventReport tableEvents;
    /** Polls the source's catalog, in the subtask reading the change stream; null elsewhere and for other sources. */
    private transient CatalogWatch watch;

    /**
     * @param newTables the pipeline's table patterns, which tables created while the job runs may match; null if none
     * @param lookedUp  follows the tables this source reads only for lookups
     */
    SchemaChangeFollower(Pipeline pipeline, DataSource source, List<TableSchema> schemas, List<TargetTable> targets,
                         DataSource target, PatternTables newTables, Map<String, Set<String>> sharedTargets, LookedUpTableFollower lookedUp) {
        this.steps = pipeline.steps();
        this.lookedUp = lookedUp;
        this.newTables = newTables;
        this.sharedTargets = Map.copyOf(sharedTargets);
        this.parallelism = pipeline.settings().parallelism();
        this.targetContext = new SinkContext(pipeline.name(), pipeline.settings().onError(), null,
                pipeline.settings().schemaChangeRules());
        this.keyOverride = pipeline.target().key();
        this.rules = pipeline.settings().schemaChangeRules();
        this.source = source;
        this.target = target;
        this.sourceResourceName = pipeline.sourceResourceName(source.name());
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
        // A state of its own (not in known-table-schemas): savepoints written before it existed still restore.
        lookedUpState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("looked-up-table-columns", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        catchUp = new CatchUpSnapshots(source, Set.of());
        if (!context.isRestored()) {
            return;
        }
        lookedUp.restore(lookedUpState.get());
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
        // State from before schemas were kept holds none: then nothing tells which tables are new to the job.
        if (!restored.isEmpty()) {
            Set<String> unknown = new HashSet<>(tables.keySet());
            unknown.removeAll(restored.keySet());
            catchUp = new CatchUpSnapshots(source, unknown);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.clear();
        for (TargetEvolution t : tables.values()) {
            if (catchUp.isPending(t.source().qualifiedName())) {
                // Not read yet: restored from this checkpoint, the table must still be new to the job.
                continue;
            }
            state.add(TargetEvolutionSerializer.INSTANCE.toState(t));
        }
        lookedUpState.update(lookedUp.snapshot());
    }

    @Override
    public void open(OpenContext context) {
        knownFields = new HashMap<>();
        lastCheckedShape = new HashMap<>();
        lastValueRecheck = new HashMap<>();
        valueFits = new HashMap<>();
        tables.forEach((name, t) -> knownFields.put(name, names(t.source())));
        prefix = SourceProgress.MARKER + getRuntimeContext().getJobInfo().getJobId() + "] ";
        columnChanges = new ColumnChanges(steps, keyOverride, rules, source, target, prefix);
        admission = newTables == null ? null : new NewTableAdmission(newTables, rules, source, target, targetContext, prefix);
        tableEvents = new TableEventReport(rules, target, sharedTargets, steps, prefix);
        lookedUp.open();
    }

    @Override
    public void close() throws Exception {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        super.close();
    }

    /**
     * This subtask's source starts reading the change stream: the catch-up snapshots are read now, ahead of the
     * stream's first change, and the catalog watch connects here, the one subtask that polls.
     */
    private void streamStarts(Collector<ChangeEvent> out) {
        SourceCatalog catalog = ConnectorFactories.source(source.type()).catalog(source, sourceResourceName);
        watch = catalog == null ? null : new CatalogWatch(catalog, prefix);
        catchUp.readPending(tables, out, prefix);
    }

    /** Called every few seconds between changes; in the subtask reading the change stream, polls the source's catalog. */
    void tick(Collector<ChangeEvent> out) {
        if (watch == null) {
            return;
        }
        CatalogWatch.Findings found = watch.poll(tables.keySet(),
                name -> newTables != null && !admission.passesOver(name) && newTables.selects(source, name));
        for (String name : found.dropped()) {
            tableEvents.report(new ChangeEvent(Op.DROP_TABLE, name, new LinkedHashMap<>(), null, null,
                    System.currentTimeMillis()), tables.get(name), tables.values(), out);
        }
        // Known under its name, the table created again is new to the job: its rows may have another shape.
        found.recreated().stream().filter(name -> newTables != null && newTables.selects(source, name)).forEach(this::forget);
        for (String name : found.unknown()) {
            if (!admission.readsNewTables()) {
                admission.admit(name, tables.values());
            } else if (watch.capture(name)) {
                takeIn(name, out);
            }
        }
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (ChangeStreamStart.is(event)) {
            streamStarts(out);
            return;
        }
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
            table = takeIn(event.table(), out);
            if (table == null) {
                return;
            }
        }
        if (table == null || row == null) {
            out.collect(event);
            return;
        }
        Set<String> known = knownFields.get(event.table());
        boolean sameShape = sameFields(row.keySet(), known);
        if (!sameShape && !row.keySet().equals(lastCheckedShape.get(event.table()))
                || sameShape && !valueFit(event.table(), table).fits(row) && recheckDue(event.table())) {
            columnChanges.follow(event.table(), table, row, event.sourceTsMs(), out);
            knownFields.put(event.table(), names(table.source()));
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
     * Takes in a table new to the job (null when its rows are not the pipeline's). One that was not in the change
     * stream from its creation (added to a PostgreSQL publication that lists tables) is read whole first.
     */
    private TargetEvolution takeIn(String name, Collector<ChangeEvent> out) {
        TargetEvolution table = admission.admit(name, tables.values());
        if (table != null) {
            tables.put(name, table);
            knownFields.put(name, names(table.source()));
            if (watch != null && !watch.capturesFromCreation()) {
                catchUp.readJoined(name, table, out, prefix);
            }
        }
        return table;
    }

    /**
     * Target tables that more than one source table of the plan writes (a union), each with its writers as
     * expressions see them ({@code database.table}; two datasources' tables may share one).
     */
    static Map<String, Set<String>> sharedTargets(JobPlan plan) {
        Map<String, TargetTable> bySource = TargetTable.bySourceTable(plan.targetTables());
        Map<String, List<String>> writers = plan.sources().stream().flatMap(s -> s.tables().tables().stream())
                .filter(t -> bySource.get(t.qualifiedName()) != null)
                .collect(Collectors.groupingBy(t -> bySource.get(t.qualifiedName()).name(),
                        Collectors.mapping(TableSchema::qualifiedName, Collectors.toList())));
        return writers.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new java.util.TreeSet<>(e.getValue())));
    }

    /**
     * A dropped or truncated table, the pipeline's or a looked-up one, is reported ({@link TableEventReport}); a
     * dropped table the patterns select is then forgotten, so that one created again under its name is picked up as a
     * new table.
     */
    private void report(ChangeEvent event, Collector<ChangeEvent> out) {
        String name = event.table();
        TargetEvolution table = tables.get(name);
        if (table == null) {
            if (lookedUp.tables().contains(name)) {
                tableEvents.reportLookedUp(event, out);
            }
            return;
        }
        tableEvents.report(event, table, tables.values(), out);
        if (event.op() == Op.DROP_TABLE && newTables != null && newTables.selects(source, name)) {
            forget(name);
        }
    }

    private void forget(String name) {
        tables.remove(name);
        knownFields.remove(name);
        lastCheckedShape.remove(name);
        valueFits.remove(name);
    }

    private ValueFit valueFit(String table, TargetEvolution evolution) {
        ValueFit known = valueFits.get(table);
        ValueFit fit = ValueFit.of(evolution.source(), known);
        if (fit != known) {
            valueFits.put(table, fit);
        }
        return fit;
    }

    /**
     * {@code fields.equals(known)}, without a hash lookup per field where the fields come in the known order, as the
     * rows of a source table do ({@link #names} keeps column order).
     */
    static boolean sameFields(Set<String> fields, Set<String> known) {
        if (known == null || fields.size() != known.size()) {
            return false;
        }
        Iterator<String> expected = known.iterator();
        for (String field : fields) {
            if (!field.equals(expected.next())) {
                return fields.equals(known);
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
        Set<String> names = new LinkedHashSet<>();
        schema.columns().forEach(c -> names.add(c.name()));
        return Collections.unmodifiableSet(names);
    }
}
