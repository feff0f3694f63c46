package io.tapflow.flink.job;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.event.Op;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends snapshot rows to {@link #SNAPSHOT_ROWS}, the forward path to a sink in the same task; changes pass on. */
final class SnapshotRowsSplit extends ProcessFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<ChangeEvent> SNAPSHOT_ROWS = new OutputTag<>("snapshot-rows", ChangeEventTypeInfo.INSTANCE);

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (event.op() == Op.READ) {
            ctx.output(SNAPSHOT_ROWS, event);
        } else {
            out.collect(event);
        }
    }
}
