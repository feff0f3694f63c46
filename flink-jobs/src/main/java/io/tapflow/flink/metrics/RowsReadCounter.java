package io.tapflow.flink.metrics;

import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts the rows the source emits, per source table, and passes them on unchanged. Chained to the source, so it
 * costs no network hop; it holds no state, so adding it keeps older savepoints usable.
 */
public final class RowsReadCounter extends RichMapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private transient TapflowMetrics metrics;

    @Override
    public void open(OpenContext context) {
        metrics = new TapflowMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public ChangeEvent map(ChangeEvent event) {
        metrics.rowsRead(event.table()).inc();
        return event;
    }
}
