package io.tapflow.flink.metrics;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what the source does, and passes every event on unchanged: counts rows read per source table (a tapflow
 * metric), and writes the job's progress to the TaskManager log, where {@code tapflow logs} finds it by
 * {@link #MARKER}: when the snapshot of a table begins, and when live changes start to flow, with the snapshot rows
 * read before. Chained to the source, so it costs no network hop; it holds no state, so savepoints stay compatible.
 */
public final class SourceProgress extends RichMapFunction<ChangeEvent, ChangeEvent> {
    /** Every progress line starts with {@code tapflow[<job id>] }. */
    public static final String MARKER = "tapflow[";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SourceProgress.class);

    private transient TapflowMetrics metrics;
    private transient Map<String, Long> snapshotRows;
    private transient boolean streaming;
    private transient String prefix;

    @Override
    public void open(OpenContext context) {
        metrics = new TapflowMetrics(getRuntimeContext().getMetricGroup());
        snapshotRows = new TreeMap<>();
        streaming = false;
        prefix = MARKER + getRuntimeContext().getJobInfo().getJobId() + "] source subtask "
                + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + ": ";
    }

    @Override
    public ChangeEvent map(ChangeEvent event) {
        metrics.rowsRead(event.table()).inc();
        if (event.op() == Op.READ) {
            if (snapshotRows.merge(event.table(), 1L, Long::sum) == 1L) {
                LOG.info("{}snapshot of table {} began", prefix, event.table());
            }
        } else if (!streaming) {
            streaming = true;
            LOG.info("{}first live change (binlog); snapshot rows read before by this subtask: {}", prefix,
                    snapshotRows.isEmpty() ? "none (the snapshot was done before this start)" : snapshotRows);
        }
        return event;
    }
}
