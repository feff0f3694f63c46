package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by parent row, after a lookup's join: lets through only versions of a row at least as new as the last one it
 * let through. Needed because a parent whose join value changed is emitted from two join subtasks: a change of a
 * looked-up row at the old join key may be handled there before the parent's retract arrives, and that older picture
 * of the parent may reach this gate after the new one. Equal versions pass (a looked-up row's change re-emits the
 * parent with the version it has). Versions of deleted rows are kept (tombstones), so a late picture of a deleted
 * parent cannot bring it back; that is one number per parent row ever seen.
 */
public final class LookupGate extends KeyedProcessFunction<String, Tuple4<Byte, Long, String, ChangeEvent>, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> lastVersion;

    @Override
    public void open(OpenContext context) {
        lastVersion = getRuntimeContext().getState(new ValueStateDescriptor<>("last-version", Types.LONG));
    }

    @Override
    public void processElement(Tuple4<Byte, Long, String, ChangeEvent> record, Context ctx, Collector<ChangeEvent> out)
            throws Exception {
        Long last = lastVersion.value();
        if (last != null && record.f1 < last) {
            return;
        }
        if (last == null || record.f1 > last) {
            lastVersion.update(record.f1);
        }
        out.collect(record.f3);
    }
}
