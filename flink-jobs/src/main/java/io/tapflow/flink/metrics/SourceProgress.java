package io.tapflow.flink.metrics;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports what the source does, and passes every event on unchanged: counts rows read per source table (a tapflow
 * metric), and writes the job's progress to the TaskManager log, where {@code tapflow logs} finds it by
 * {@link #MARKER}: when the snapshot of a table begins, and when live changes start to flow, with the snapshot rows
 * read before. Chained to the source, so it costs no network hop; it holds no state, so savepoints stay compatible.
 *
 * <p>In a union of datasources two sources may read tables of the same name (two shards): there each source's tables
 * are labelled {@code <datasource>.<database>.<table>} in metrics and log lines. A single source keeps the plain
 * {@code <database>.<table>}, so the metric names of existing pipelines do not change.
 */
public final class SourceProgress extends RichMapFunction<ChangeEvent, ChangeEvent> {
    /** Every progress line starts with {@code tapflow[<job id>] }. */
    public static final String MARKER = "tapflow[";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SourceProgress.class);

    private final String datasource;
    private final boolean labelWithDataSource;
    private transient TapflowMetrics metrics;
    private transient Map<String, Counter> rowsRead;
    private transient Map<String, Long> snapshotRows;
    private transient boolean streaming;
    private transient String prefix;

    /** @param labelWithDataSource whether the pipeline reads from several datasources */
    public SourceProgress(String datasource, boolean labelWithDataSource) {
        this.datasource = datasource;
        this.labelWithDataSource = labelWithDataSource;
    }

    @Override
    public void open(OpenContext context) {
        metrics = new TapflowMetrics(getRuntimeContext().getMetricGroup());
        rowsRead = new HashMap<>();
        snapshotRows = new TreeMap<>();
        streaming = false;
        prefix = MARKER + getRuntimeContext().getJobInfo().getJobId() + "] source "
                + (labelWithDataSource ? datasource + " " : "") + "subtask "
                + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + ": ";
    }

    @Override
    public ChangeEvent map(ChangeEvent event) {
        // Per row: one look-up by the name the event carries, no string building.
        Counter read = rowsRead.get(event.table());
        if (read == null) {
            read = metrics.rowsRead(label(event.table()));
            rowsRead.put(event.table(), read);
        }
        read.inc();
        if (event.op() == Op.READ) {
            if (snapshotRows.merge(event.table(), 1L, Long::sum) == 1L) {
                LOG.info("{}snapshot of table {} began", prefix, label(event.table()));
            }
        } else if (!streaming) {
            streaming = true;
            LOG.info("{}first live change (binlog); snapshot rows read before by this subtask: {}", prefix,
                    snapshotRows.isEmpty() ? "none (the snapshot was done before this start)" : labelled(snapshotRows));
        }
        return event;
    }

    private Map<String, Long> labelled(Map<String, Long> byTable) {
        Map<String, Long> out = new TreeMap<>();
        byTable.forEach((table, rows) -> out.put(label(table), rows));
        return out;
    }

    private String label(String table) {
        return labelWithDataSource ? datasource + "." + table : table;
    }
}
