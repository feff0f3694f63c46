package io.tapflow.flink.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * tapflow's own Flink metrics, in the group {@code tapflow} of the operator that reports them: rows read and rows
 * written per table ({@code tapflow.table.<name>.rowsRead|rowsWritten}) and the end-to-end latency of live changes,
 * from the source commit to the target write ({@code tapflow.endToEndLatencyMs}), and, on the JobManager, how far each
 * table's snapshot is ({@code tapflow.table.<name>.snapshotSplits|snapshotSplitsDone|snapshotRowsDone|snapshotRowsEstimated}),
 * and with {@code verify.sample-per-second}, how many sampled keys were verified and how many of them differ
 * ({@code tapflow.verify.checked|mismatched}), and per lookup join subtask the rows its keyed state holds (parents and
 * looked-up rows, {@code tapflow.lookup.stateRows}).
 * Flink shows them in the dashboard and hands them to every configured reporter (Prometheus: see deploy/).
 */
public final class TapflowMetrics {
    public static final String GROUP = "tapflow";
    public static final String TABLE_GROUP = "table";
    public static final String ROWS_READ = "rowsRead";
    public static final String ROWS_WRITTEN = "rowsWritten";
    public static final String LATENCY = "endToEndLatencyMs";
    public static final String SNAPSHOT_SPLITS = "snapshotSplits";
    public static final String SNAPSHOT_SPLITS_DONE = "snapshotSplitsDone";
    public static final String SNAPSHOT_ROWS_DONE = "snapshotRowsDone";
    public static final String SNAPSHOT_ROWS_ESTIMATED = "snapshotRowsEstimated";
    public static final String VERIFY_GROUP = "verify";
    public static final String VERIFY_CHECKED = "checked";
    public static final String VERIFY_MISMATCHED = "mismatched";
    public static final String LOOKUP_GROUP = "lookup";
    public static final String LOOKUP_STATE_ROWS = "stateRows";
    private static final int LATENCY_WINDOW = 1024;

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    public TapflowMetrics(MetricGroup operatorGroup) {
        this.group = operatorGroup.addGroup(GROUP);
    }

    public Counter rowsRead(String table) {
        return counter(table, ROWS_READ);
    }

    public Counter rowsWritten(String table) {
        return counter(table, ROWS_WRITTEN);
    }

    /** Latency over the last {@value #LATENCY_WINDOW} live changes; reporters derive p50/p99 from it. */
    public Histogram endToEndLatency() {
        return group.histogram(LATENCY, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    }

    /** A per-table value read when a reporter or the REST API asks for it. */
    public void tableGauge(String table, String name, Gauge<Long> gauge) {
        group.addGroup(TABLE_GROUP, table).gauge(name, gauge);
    }

    /** Thread-safe: the sampler's checks run beside the task thread. */
    public Counter verifyChecked() {
        return group.addGroup(VERIFY_GROUP).counter(VERIFY_CHECKED, new ThreadSafeSimpleCounter());
    }

    public Counter verifyMismatched() {
        return group.addGroup(VERIFY_GROUP).counter(VERIFY_MISMATCHED, new ThreadSafeSimpleCounter());
    }

    public void lookupStateRows(Gauge<Long> gauge) {
        group.addGroup(LOOKUP_GROUP).gauge(LOOKUP_STATE_ROWS, gauge);
    }

    private Counter counter(String table, String name) {
        return counters.computeIfAbsent(table + "/" + name, k -> group.addGroup(TABLE_GROUP, table).counter(name));
    }
}
