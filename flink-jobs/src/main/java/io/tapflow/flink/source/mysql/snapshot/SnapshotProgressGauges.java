package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.flink.metrics.TapflowMetrics;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.ToLongFunction;
import org.apache.flink.metrics.MetricGroup;

/**
 * Publishes each table's snapshot progress as JobManager gauges (see {@link TapflowMetrics}). On a failover Flink
 * re-creates the enumerator from the checkpoint but keeps the coordinator's metric group, and ignores a second gauge of
 * the same name; so the gauges are registered once per metric group and read whatever the newest enumerator published.
 */
final class SnapshotProgressGauges {
    private static final Map<MetricGroup, SnapshotProgressGauges> BY_GROUP = Collections.synchronizedMap(new WeakHashMap<>());

    private final TapflowMetrics metrics;
    private final Set<String> registered = new HashSet<>();
    /** Replaced whole on every change: gauges are read on a metrics thread. */
    private volatile Map<String, TableProgress> tables = Map.of();

    private SnapshotProgressGauges(MetricGroup group) {
        this.metrics = new TapflowMetrics(group);
    }

    static SnapshotProgressGauges of(MetricGroup group) {
        return BY_GROUP.computeIfAbsent(group, SnapshotProgressGauges::new);
    }

    synchronized void publish(Map<String, TableProgress> progress) {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(progress));
        for (String table : progress.keySet()) {
            if (registered.add(table)) {
                gauge(table, TapflowMetrics.SNAPSHOT_SPLITS, TableProgress::splits);
                gauge(table, TapflowMetrics.SNAPSHOT_SPLITS_DONE, TableProgress::splitsDone);
                gauge(table, TapflowMetrics.SNAPSHOT_ROWS_DONE, TableProgress::rows);
                gauge(table, TapflowMetrics.SNAPSHOT_ROWS_ESTIMATED, TableProgress::estimatedRows);
            }
        }
    }

    private void gauge(String table, String name, ToLongFunction<TableProgress> value) {
        metrics.tableGauge(table, name, () -> {
            TableProgress progress = tables.get(table);
            return progress == null ? TableProgress.UNKNOWN : value.applyAsLong(progress);
        });
    }
}
