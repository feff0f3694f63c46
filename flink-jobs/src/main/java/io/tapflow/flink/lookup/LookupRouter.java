package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by row (one side of a lookup), sends each change to the join subtask of its join key. It remembers the join
 * key each row was last sent to, so a change of the join value becomes a {@link LookupRecord#RETRACT} at the old key
 * and a {@link LookupRecord#MOVE_IN} at the new one, and a delete goes where the row is stored, whatever the source's
 * before image holds. Since it knows where each row is stored, it tells the join whether a row is new at a key
 * ({@link LookupRecord#INSERT}) or replaces one stored there ({@link LookupRecord#UPSERT}): the join then never has to
 * look that up in its state. Each change gets the next version of its row; the version survives a delete on purpose, so a
 * row deleted and inserted again keeps counting up and {@link LookupGate} never takes the new row for a stale one.
 */
public final class LookupRouter extends KeyedProcessFunction<String, ChangeEvent, Tuple4<Byte, Long, String, ChangeEvent>> {
    private static final long serialVersionUID = 1L;
    private final List<String> joinFields;
    /** The row's last version and the join key it was last sent to (null: none); one state value, one state access. */
    private transient ValueState<Tuple2<Long, String>> last;

    /** @param joinFields this side's fields of the join, in the order of the other side's */
    public LookupRouter(List<String> joinFields) {
        this.joinFields = List.copyOf(joinFields);
    }

    @Override
    public void open(OpenContext context) {
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", new TupleTypeInfo<>(Types.LONG, Types.STRING)));
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<Tuple4<Byte, Long, String, ChangeEvent>> out)
            throws Exception {
        Tuple2<Long, String> previous = last.value();
        long next = previous == null ? 1 : previous.f0 + 1;
        String old = previous == null ? null : previous.f1;
        if (event.op() == Op.DELETE) {
            last.update(Tuple2.of(next, null));
            out.collect(LookupRecord.of(LookupRecord.DELETE, next, old == null ? LookupRecord.NO_JOIN_KEY : old, event));
            return;
        }
        String now = JoinKeys.of(event.after(), joinFields);
        byte kind = old == null ? LookupRecord.INSERT : old.equals(now) ? LookupRecord.UPSERT : LookupRecord.MOVE_IN;
        if (kind == LookupRecord.MOVE_IN) {
            out.collect(LookupRecord.of(LookupRecord.RETRACT, next, old, event));
        }
        last.update(Tuple2.of(next, now.equals(LookupRecord.NO_JOIN_KEY) ? null : now));
        out.collect(LookupRecord.of(kind, next, now, event));
    }
}
