package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.metrics.TapflowMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The join of one lookup, keyed by join key: holds the parent rows (with their versions) and the looked-up rows of
 * its keys, and emits a parent, enriched by {@link Embedding}, whenever it or a looked-up row at its join key changes
 * (a looked-up row's change re-emits every parent at that key). Parents without a join value are stored nowhere and
 * emitted with nothing embedded. A looked-up row that comes before its parent waits here for it.
 *
 * <p>Emits {@link LookupRecord}s routed by parent row, for {@link LookupGate}. The number of rows held is the metric
 * {@code tapflow.lookup.stateRows} (per subtask; the count is checkpointed with the state, and after a change of
 * parallelism the subtasks' counts still add up to the total).
 */
public final class LookupJoin extends KeyedCoProcessFunction<String, Tuple4<Byte, Long, String, ChangeEvent>,
        Tuple4<Byte, Long, String, ChangeEvent>, Tuple4<Byte, Long, String, ChangeEvent>> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private final Embedding embedding;
    private transient MapState<String, Tuple2<Long, ChangeEvent>> parents;
    private transient MapState<String, ChangeEvent> children;
    private transient ListState<Long> rowCountState;
    private transient long rows;

    public LookupJoin(Embedding embedding) {
        this.embedding = embedding;
    }

    @Override
    public void open(OpenContext context) {
        parents = getRuntimeContext().getMapState(new MapStateDescriptor<>("parents", Types.STRING,
                new TupleTypeInfo<>(Types.LONG, ChangeEventTypeInfo.INSTANCE)));
        children = getRuntimeContext().getMapState(new MapStateDescriptor<>("children", Types.STRING, ChangeEventTypeInfo.INSTANCE));
        new TapflowMetrics(getRuntimeContext().getMetricGroup()).lookupStateRows(() -> rows);
    }

    @Override
    public void processElement1(Tuple4<Byte, Long, String, ChangeEvent> parent, Context ctx,
                                Collector<Tuple4<Byte, Long, String, ChangeEvent>> out) throws Exception {
        ChangeEvent event = parent.f3;
        String parentKey = JoinKeys.rowKey(event);
        boolean joined = !parent.f2.equals(LookupRecord.NO_JOIN_KEY);
        if (parent.f0 == LookupRecord.UPSERT) {
            if (joined) {
                if (!parents.contains(parentKey)) {
                    rows++;
                }
                parents.put(parentKey, Tuple2.of(parent.f1, event));
            }
            out.collect(enriched(parent.f1, parentKey, event, event.op(), event.sourceTsMs(), joined));
            return;
        }
        if (joined && parents.contains(parentKey)) {
            parents.remove(parentKey);
            rows--;
        }
        if (parent.f0 == LookupRecord.DELETE) {
            out.collect(LookupRecord.of(LookupRecord.DELETE, parent.f1, parentKey, event));
        }
    }

    @Override
    public void processElement2(Tuple4<Byte, Long, String, ChangeEvent> child, Context ctx,
                                Collector<Tuple4<Byte, Long, String, ChangeEvent>> out) throws Exception {
        if (child.f2.equals(LookupRecord.NO_JOIN_KEY)) {
            return; // matches no parent
        }
        String childKey = JoinKeys.rowKey(child.f3);
        boolean had = children.contains(childKey);
        if (child.f0 == LookupRecord.UPSERT) {
            children.put(childKey, child.f3);
            if (!had) {
                rows++;
            }
        } else if (had) {
            children.remove(childKey);
            rows--;
        } else {
            return;
        }
        for (Map.Entry<String, Tuple2<Long, ChangeEvent>> p : parents.entries()) {
            out.collect(enriched(p.getValue().f0, p.getKey(), p.getValue().f1, Op.UPDATE, child.f3.sourceTsMs(), true));
        }
    }

    private Tuple4<Byte, Long, String, ChangeEvent> enriched(long version, String parentKey, ChangeEvent parent, Op op,
                                                            long sourceTsMs, boolean joined) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>(parent.after());
        embedding.embed(row, joined ? matches() : List.of());
        return LookupRecord.of(LookupRecord.UPSERT, version, parentKey,
                new ChangeEvent(op, parent.table(), parent.key(), null, row, sourceTsMs));
    }

    /** The looked-up rows of the current join key, by row key (state iterates in no defined order). */
    private List<Map<String, Object>> matches() throws Exception {
        TreeMap<String, Map<String, Object>> byKey = new TreeMap<>();
        for (Map.Entry<String, ChangeEvent> e : children.entries()) {
            byKey.put(e.getKey(), e.getValue().after());
        }
        return new ArrayList<>(byKey.values());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        rowCountState.update(List.of(rows));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        rowCountState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("state-rows", Types.LONG));
        rows = 0;
        for (Long count : rowCountState.get()) {
            rows += count;
        }
    }
}
