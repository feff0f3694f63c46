package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.metrics.TapflowMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The join of one lookup, keyed by join key: holds the parent rows (with their versions) and the looked-up rows of
 * its keys, and emits a parent, enriched by {@link Embedding}, whenever it or a looked-up row at its join key changes
 * (a looked-up row's change re-emits every parent at that key, at the end of a batch of {@value #BATCH_MS} ms that
 * gathers all changes at the key). Parents without a join value are stored nowhere and
 * emitted with nothing embedded. A looked-up row that comes before its parent waits here for it.
 *
 * <p>Emits {@link LookupRecord}s routed by parent row, for {@link LookupGate}. The number of rows held is the metric
 * {@code tapflow.lookup.stateRows} (per subtask; the count is checkpointed with the state, and after a change of
 * parallelism the subtasks' counts still add up to the total; a row stored again by a record replayed after a restore,
 * as at-least-once checkpoints replay some, is counted again).
 *
 * <p>Where every source emits its snapshot rows before any change, a parent's snapshot row does not update the count of
 * parents at its key (a read of the count, for a key not there RocksDB's most costly access, then a write): it drops
 * the count instead, a write that reads nothing, and a missing count then means "not known", counted from the parents
 * the first time a looked-up row's change needs it, as in state restored from before counts were kept. Such state is
 * checkpointed as that format ({@link StateFormat}), so a job restored from it counts so too whatever its sources.
 */
public final class LookupJoin extends KeyedCoProcessFunction<String, Tuple4<Byte, Long, String, ChangeEvent>,
        Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** How long the changes of looked-up rows at one key are gathered before their parents are re-emitted. */
    static final long BATCH_MS = 100;
    private final Embedding embedding;
    private transient MapState<String, Tuple2<Long, ChangeEvent>> parents;
    private transient MapState<String, ChangeEvent> children;
    /** The number of parents at the join key (none: 0), so that a looked-up row's change opens no iterator over none. */
    private transient ValueState<Integer> parentCount;
    private transient ListState<Long> rowCountState;
    private transient StateFormat format;
    private transient long rows;
    /**
     * Whether the state may hold a parent: restored state may, fresh state once this subtask stored one. Until then a
     * looked-up row needs no look for parents at its key, which for a key not there is RocksDB's most costly access;
     * a snapshot that reads the looked-up tables first stores them all so.
     */
    private transient boolean mayHoldParents;
    /**
     * Whether the state may hold a count of parents: restored state may, fresh state once this subtask wrote one.
     * Until then a parent's snapshot row has no count to drop: a delete in RocksDB is a write (a tombstone that
     * compactions carry), one per parent for nothing.
     */
    private transient boolean countsWritten;
    /** Up to how many parents a count is taken again each time rather than stored, where storing it costs more. */
    private static final int RECOUNTED_PARENTS = 8;
    /** The newest change time of the looked-up rows changed in the current batch, by join key (not checkpointed). */
    private transient Map<String, Long> changedAt;

    /** Whether every snapshot row comes before any change of its row. */
    private final boolean snapshotRowsFirst;

    /** @param snapshotRowsFirst whether the sources emit every snapshot row before any change of the same row */
    public LookupJoin(Embedding embedding, boolean snapshotRowsFirst) {
        this.embedding = embedding;
        this.snapshotRowsFirst = snapshotRowsFirst;
    }

    @Override
    public void open(OpenContext context) {
        parents = getRuntimeContext().getMapState(new MapStateDescriptor<>("parents", Types.STRING,
                new TupleTypeInfo<>(Types.LONG, ChangeEventTypeInfo.INSTANCE)));
        children = getRuntimeContext().getMapState(new MapStateDescriptor<>("children", Types.STRING, ChangeEventTypeInfo.INSTANCE));
        parentCount = getRuntimeContext().getState(new ValueStateDescriptor<>("parent-count", Types.INT));
        changedAt = new HashMap<>();
        new TapflowMetrics(getRuntimeContext().getMetricGroup()).lookupStateRows(() -> rows);
    }

    // The router sends every record where its row is stored (INSERT/MOVE_IN: where it is not yet), so an upsert
    // needs no look into the state: one state write per record, plus the reads its emission needs.
    @Override
    public void processElement1(Tuple4<Byte, Long, String, ChangeEvent> parent, Context ctx,
                                Collector<Tuple4<Byte, Long, String, ChangeEvent>> out) throws Exception {
        ChangeEvent event = parent.f3;
        String parentKey = JoinKeys.rowKey(event);
        boolean joined = !parent.f2.equals(LookupRecord.NO_JOIN_KEY);
        if (LookupRecord.stores(parent.f0)) {
            if (joined) {
                mayHoldParents = true;
                if (parent.f0 != LookupRecord.UPSERT) {
                    rows++;
                    if (snapshotRowsFirst && event.op() == Op.READ) {
                        if (countsWritten) {
                            parentCount.clear(); // not known from here on (see the class comment)
                        }
                    } else {
                        addParents(1); // before the put: a legacy key's first count must not see the new parent
                    }
                }
                parents.put(parentKey, Tuple2.of(parent.f1, event));
            }
            // The gate needs the kind (a MOVE_IN is counted against its RETRACT).
            out.collect(enriched(parent.f0, parent.f1, parentKey, event, event.op(), event.sourceTsMs(),
                    joined ? matches() : List.of()));
            return;
        }
        // A removal looks first: after a restore, records since the checkpoint come again (at-least-once), and a
        // count taken down twice could reach 0 while parents remain. (An insert counted twice costs only a look at
        // no parents; removals are the rarer records.)
        if (joined && parents.contains(parentKey)) {
            rows--;
            addParents(-1);
            parents.remove(parentKey);
        }
        out.collect(LookupRecord.of(parent.f0, parent.f1, parentKey, event));
    }

    @Override
    public void processElement2(Tuple4<Byte, Long, String, ChangeEvent> child, Context ctx,
                                Collector<Tuple4<Byte, Long, String, ChangeEvent>> out) throws Exception {
        if (child.f2.equals(LookupRecord.NO_JOIN_KEY)) {
            return; // matches no parent
        }
        String childKey = JoinKeys.rowKey(child.f3);
        if (LookupRecord.stores(child.f0)) {
            children.put(childKey, child.f3);
            if (child.f0 != LookupRecord.UPSERT) {
                rows++;
            }
        } else if (children.contains(childKey)) {
            children.remove(childKey);
            rows--;
        } else {
            return;
        }
        // A snapshot row leaves a small unknown count unknown: a parent's snapshot row after it would have to drop it
        // again, and once any count is stored every parent's snapshot row drops its key's (countsWritten).
        if (!mayHoldParents || parents(child.f3.op() != Op.READ ? -1 : RECOUNTED_PARENTS) == 0) {
            return;
        }
        // The parents are re-emitted at the end of a short batch, once for all the changes at this key till then
        // (a snapshot that reads the parents first would otherwise write each parent once per looked-up row).
        // Timers are checkpointed: a batch cut by a failure is emitted after the restore.
        long now = ctx.timerService().currentProcessingTime();
        ctx.timerService().registerProcessingTimeTimer(now - now % BATCH_MS + BATCH_MS);
        changedAt.merge(ctx.getCurrentKey(), child.f3.sourceTsMs(), Math::max);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tuple4<Byte, Long, String, ChangeEvent>> out)
            throws Exception {
        Long changed = changedAt.remove(ctx.getCurrentKey());
        if (parents(RECOUNTED_PARENTS) == 0) {
            return;
        }
        List<ChangeEvent> matches = matchingRows();
        List<Map<String, Object>> embedded = matches.stream().map(ChangeEvent::after).toList();
        long newestRow = matches.stream().mapToLong(ChangeEvent::sourceTsMs).max().orElse(0);
        for (Map.Entry<String, Tuple2<Long, ChangeEvent>> p : parents.entries()) {
            ChangeEvent parent = p.getValue().f1;
            // After a restore the batch's change time is not known: the newest row's is the closest there is.
            long sourceTsMs = changed != null ? changed : Math.max(newestRow, parent.sourceTsMs());
            out.collect(enriched(LookupRecord.UPSERT, p.getValue().f0, p.getKey(), parent, Op.UPDATE, sourceTsMs, embedded));
        }
    }

    private Tuple4<Byte, Long, String, ChangeEvent> enriched(byte kind, long version, String parentKey, ChangeEvent parent,
                                                            Op op, long sourceTsMs, List<Map<String, Object>> matches) {
        Map<String, Object> row = new LinkedHashMap<>(parent.after());
        embedding.embed(row, matches);
        return LookupRecord.of(kind, version, parentKey, new ChangeEvent(op, parent.table(), parent.key(), null, row, sourceTsMs));
    }

    /** The looked-up rows of the current join key, by row key (state iterates in no defined order). */
    private List<Map<String, Object>> matches() throws Exception {
        return matchingRows().stream().map(ChangeEvent::after).toList();
    }

    private List<ChangeEvent> matchingRows() throws Exception {
        TreeMap<String, ChangeEvent> byKey = new TreeMap<>();
        for (Map.Entry<String, ChangeEvent> e : children.entries()) {
            byKey.put(e.getKey(), e.getValue());
        }
        return new ArrayList<>(byKey.values());
    }

    /** The number of parents at the current join key; counted once where it is not known (legacy state). */
    private int parents() throws Exception {
        return parents(-1);
    }

    /** @param recounted up to how many parents a count taken here is taken again when needed, not stored (-1: stored) */
    private int parents(int recounted) throws Exception {
        Integer count = parentCount.value();
        if (count != null) {
            return count;
        }
        if (!format.legacy()) {
            return 0;
        }
        int counted = 0;
        for (String ignored : parents.keys()) {
            counted++;
        }
        if (counted > recounted) {
            countsWritten = true;
            parentCount.update(counted);
        }
        return counted;
    }

    private void addParents(int delta) throws Exception {
        int count = parents() + delta;
        if (count == 0 && !format.legacy()) {
            parentCount.clear();
        } else {
            countsWritten = true;
            parentCount.update(count);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        rowCountState.update(List.of(rows));
        format.snapshot();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        rowCountState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("state-rows", Types.LONG));
        format = StateFormat.initialize(context, snapshotRowsFirst);
        mayHoldParents = context.isRestored();
        countsWritten = context.isRestored();
        rows = 0;
        for (Long count : rowCountState.get()) {
            rows += count;
        }
    }

    /** The states a join key holds parents, and looked-up rows, in (for {@link JoinTruncation}). */
    static final String[] PARENT_STATES = {"parents"};
    static final String[] CHILD_STATES = {"children"};

    /** The parents' table was truncated: the current join key forgets its parents of it. */
    void forgetParents(String table) throws Exception {
        List<String> gone = TableTruncation.rowsOf(table, parents.keys());
        if (gone.isEmpty()) {
            return;
        }
        addParents(-gone.size()); // before the removals: a legacy key's first count must still see them
        for (String parentKey : gone) {
            parents.remove(parentKey);
        }
        rows -= gone.size();
    }

    /**
     * The looked-up table was truncated: the current join key forgets its rows of it, and its parents are written
     * again without them at the end of the batch, as after any change of looked-up rows.
     */
    void forgetChildren(String table, String joinKey, TimerService timers, long sourceTsMs)
            throws Exception {
        List<String> gone = TableTruncation.rowsOf(table, children.keys());
        for (String childKey : gone) {
            children.remove(childKey);
        }
        rows -= gone.size();
        if (gone.isEmpty() || parents() == 0) {
            return;
        }
        long now = timers.currentProcessingTime();
        timers.registerProcessingTimeTimer(now - now % BATCH_MS + BATCH_MS);
        changedAt.merge(joinKey, sourceTsMs, Math::max);
    }
}
