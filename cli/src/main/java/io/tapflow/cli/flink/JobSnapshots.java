package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tapflow.cli.flink.JobSnapshot.LastCheckpoint;
import io.tapflow.cli.flink.JobSnapshot.OperatorRecords;
import io.tapflow.cli.flink.JobSnapshot.SnapshotProgress;
import io.tapflow.cli.flink.JobSnapshot.TableRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads a {@link JobSnapshot} from the REST API. Records are counted per operator, not per vertex: at parallelism 1
 * the whole pipeline is one chained task, whose vertex-level counters see nothing pass between source, steps and sink.
 * Metric ids look like {@code <operator>.<metric>} (Flink's) and {@code <operator>.tapflow.table.<table>.rowsRead}
 * (tapflow's, see TapflowMetrics in flink-jobs), aggregated over subtasks. The snapshot's progress per table comes from
 * the source's split enumerator, whose metrics live on the JobManager ({@code .tapflow.table.<table>.snapshotRowsDone}).
 */
public final class JobSnapshots {
    private static final String IN = ".numRecordsIn";
    private static final String OUT = ".numRecordsOut";
    private static final String RATE = ".numRecordsOutPerSecond";
    private static final String LAG = ".currentEmitEventTimeLag";
    private static final String TABLE = ".tapflow.table.";
    private static final String P50 = ".tapflow.endToEndLatencyMs_median";
    private static final String P99 = ".tapflow.endToEndLatencyMs_p99";
    private static final String MAX = ".tapflow.endToEndLatencyMs_max";
    private static final String VERIFY_CHECKED = ".tapflow.verify.checked";
    private static final String VERIFY_MISMATCHED = ".tapflow.verify.mismatched";
    private static final String LOOKUP_STATE_ROWS = ".tapflow.lookup.stateRows";
    /** How long the JobManager gets to fetch fresh metrics after a request asked for them (see {@link #prime}). */
    private static final long METRICS_FETCH_MILLIS = 1_000;

    private JobSnapshots() {}

    /**
     * Flink's REST API answers metric requests from a cache and only then fetches fresh values from the TaskManagers:
     * the first request after a while gets old (or no) values. One-shot commands ask once, wait, then read.
     */
    public static void prime(FlinkRestClient flink, List<String> jobIds) throws InterruptedException {
        for (String jobId : jobIds) {
            flink.jobMetrics(jobId, "numRestarts");
        }
        if (!jobIds.isEmpty()) {
            Thread.sleep(METRICS_FETCH_MILLIS);
        }
    }

    public static JobSnapshot take(FlinkRestClient flink, String jobId) {
        JsonNode job = flink.job(jobId);
        JsonNode exceptions = flink.exceptions(jobId);
        Metrics m = new Metrics();
        String backpressure = "ok";
        if ("RUNNING".equals(job.path("state").asText())) {
            for (JsonNode vertex : job.path("vertices")) {
                String vertexId = vertex.path("id").asText();
                List<String> wanted = new ArrayList<>();
                for (JsonNode metric : flink.vertexMetricIds(jobId, vertexId)) {
                    if (Metrics.isWanted(metric.path("id").asText())) {
                        wanted.add(metric.path("id").asText());
                    }
                }
                if (!wanted.isEmpty()) {
                    flink.vertexMetrics(jobId, vertexId, wanted).forEach(m::add);
                }
                if (vertex.path("name").asText().startsWith("Source")) {
                    addSnapshotProgress(flink, jobId, vertexId, m);
                }
                backpressure = worse(backpressure, orMissing(() -> flink.backpressure(jobId, vertexId))
                        .path("backpressureLevel").asText("ok"));
            }
        }
        return new JobSnapshot(job.path("name").asText(), jobId, job.path("state").asText(), job.path("start-time").asLong(),
                job.path("duration").asLong(), System.currentTimeMillis(), m.operators(), m.tables(), m.rowsRead(), m.rowsWritten(),
                m.readRate, m.lag(), m.latency(m.p50), m.latency(m.p99), lastCheckpoint(flink.checkpoints(jobId)), restarts(flink, jobId), backpressure,
                lastFailure(exceptions), RestartOutlook.of(job, orMissing(() -> flink.jobConfig(jobId)), exceptions,
                System.currentTimeMillis()), m.verifySamples(), m.lookupStateRows);
    }

    /**
     * A part of the view the cluster may not serve right now (backpressure sampling of a task that is still starting
     * answers HTTP 500) or at all: that part stays empty, rather than the whole listing failing.
     */
    private static JsonNode orMissing(Supplier<JsonNode> request) {
        try {
            return request.get();
        } catch (FlinkRequestException e) {
            return MissingNode.getInstance();
        }
    }

    private static void addSnapshotProgress(FlinkRestClient flink, String jobId, String vertexId, Metrics m) {
        List<String> ids = new ArrayList<>();
        for (JsonNode metric : orMissing(() -> flink.jobManagerOperatorMetricIds(jobId, vertexId))) {
            String id = metric.path("id").asText();
            if (id.contains(TABLE) && Metrics.SNAPSHOT.stream().anyMatch(id::endsWith)) {
                ids.add(id);
            }
        }
        if (!ids.isEmpty()) {
            flink.jobManagerOperatorMetrics(jobId, vertexId, ids).forEach(m::addSnapshot);
        }
    }

    /** The wanted metrics of all vertices, gathered. */
    private static final class Metrics {
        final Map<String, long[]> recordsByOperator = new LinkedHashMap<>();
        /** The enumerator's gauges, in this order (see TapflowMetrics in flink-jobs). */
        static final List<String> SNAPSHOT = List.of(".snapshotSplits", ".snapshotSplitsDone", ".snapshotRowsDone",
                ".snapshotRowsEstimated");
        final Map<String, long[]> rowsByTable = new TreeMap<>();
        final Map<String, long[]> snapshotByTable = new TreeMap<>();
        double readRate;
        Long lag;
        Long p50;
        Long p99;
        Long latencyMax;
        long[] verify;
        /** Null unless the job has lookups (only their joins report it). */
        Long lookupStateRows;

        static boolean isWanted(String id) {
            return id.endsWith(IN) || id.endsWith(OUT) || id.endsWith(LAG) || id.contains(TABLE) || id.endsWith(P50)
                    || id.endsWith(P99) || id.endsWith(MAX) || (id.startsWith("Source") && id.endsWith(RATE))
                    || id.endsWith(VERIFY_CHECKED) || id.endsWith(VERIFY_MISMATCHED) || id.endsWith(LOOKUP_STATE_ROWS);
        }

        /** The CDC source reports -1 until it streams from the binlog. */
        Long lag() {
            return lag == null || lag < 0 ? null : lag;
        }

        /** An empty histogram reports 0 everywhere: no live change has been written yet. */
        Long latency(Long quantile) {
            return latencyMax == null || latencyMax == 0 ? null : quantile;
        }

        void add(JsonNode metric) {
            String id = metric.path("id").asText();
            if (id.contains(TABLE)) {
                String rest = id.substring(id.indexOf(TABLE) + TABLE.length());
                long[] rows = rowsByTable.computeIfAbsent(rest.substring(0, rest.lastIndexOf('.')), k -> new long[2]);
                rows[rest.endsWith(".rowsRead") ? 0 : 1] += metric.path("sum").asLong();
            } else if (id.endsWith(VERIFY_CHECKED) || id.endsWith(VERIFY_MISMATCHED)) {
                verify = verify == null ? new long[2] : verify;
                verify[id.endsWith(VERIFY_CHECKED) ? 0 : 1] += metric.path("sum").asLong();
            } else if (id.endsWith(LOOKUP_STATE_ROWS)) {
                lookupStateRows = (lookupStateRows == null ? 0 : lookupStateRows) + (long) metric.path("sum").asDouble();
            } else if (id.endsWith(P50)) {
                p50 = max(p50, metric.path("max").asLong());
            } else if (id.endsWith(P99)) {
                p99 = max(p99, metric.path("max").asLong());
            } else if (id.endsWith(MAX)) {
                latencyMax = max(latencyMax, metric.path("max").asLong());
            } else if (id.endsWith(LAG)) {
                lag = max(lag, metric.path("max").asLong());
            } else if (id.endsWith(RATE)) {
                readRate += metric.path("sum").asDouble();
            } else {
                long[] inOut = recordsByOperator.computeIfAbsent(id.substring(0, id.lastIndexOf('.')), k -> new long[2]);
                inOut[id.endsWith(IN) ? 0 : 1] = metric.path("sum").asLong();
            }
        }

        void addSnapshot(JsonNode metric) {
            String id = metric.path("id").asText();
            String rest = id.substring(id.indexOf(TABLE) + TABLE.length());
            int dot = rest.lastIndexOf('.');
            long[] values = snapshotByTable.computeIfAbsent(rest.substring(0, dot), k -> new long[SNAPSHOT.size()]);
            values[SNAPSHOT.indexOf(rest.substring(dot))] = (long) Double.parseDouble(metric.path("value").asText("0"));
        }

        List<OperatorRecords> operators() {
            List<OperatorRecords> out = new ArrayList<>();
            recordsByOperator.forEach((name, inOut) -> out.add(new OperatorRecords(name, inOut[0], inOut[1])));
            return out;
        }

        Map<String, TableRows> tables() {
            Map<String, TableRows> out = new TreeMap<>();
            rowsByTable.forEach((table, rows) -> out.put(table, new TableRows(rows[0], rows[1], snapshot(table, rows[0]))));
            snapshotByTable.keySet().stream().filter(table -> !rowsByTable.containsKey(table))
                    .forEach(table -> out.put(table, new TableRows(0, 0, snapshot(table, 0))));
            return out;
        }

        /**
         * The enumerator counts the rows of finished splits only; while a table's snapshot runs, the readers' count of
         * rows read is fresher (though it restarts at 0 after a failover, hence the larger of the two).
         */
        private SnapshotProgress snapshot(String table, long rowsRead) {
            long[] v = snapshotByTable.get(table);
            if (v == null) {
                return null;
            }
            boolean done = v[1] >= v[0];
            return new SnapshotProgress(v[0], v[1], done ? v[2] : Math.max(v[2], rowsRead), v[3]);
        }

        /** Null unless the job samples (only then does it report these counters). */
        JobSnapshot.VerifySamples verifySamples() {
            return verify == null ? null : new JobSnapshot.VerifySamples(verify[0], verify[1]);
        }

        long rowsRead() {
            return recordsByOperator.entrySet().stream().filter(e -> e.getKey().startsWith("Source")).mapToLong(e -> e.getValue()[1]).sum();
        }

        long rowsWritten() {
            return recordsByOperator.entrySet().stream().filter(e -> e.getKey().startsWith("sink")).mapToLong(e -> e.getValue()[0]).sum();
        }

        private static Long max(Long current, long value) {
            return current == null ? value : Math.max(current, value);
        }
    }

    private static LastCheckpoint lastCheckpoint(JsonNode checkpoints) {
        JsonNode c = checkpoints.path("latest").path("completed");
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        return new LastCheckpoint(c.path("id").asLong(), c.path("latest_ack_timestamp").asLong(),
                c.path("checkpointed_size").asLong(c.path("state_size").asLong()), c.path("end_to_end_duration").asLong(),
                c.path("external_path").asText(null));
    }

    private static long restarts(FlinkRestClient flink, String jobId) {
        for (JsonNode m : flink.jobMetrics(jobId, "numRestarts")) {
            return m.path("value").asLong();
        }
        return 0;
    }

    private static String lastFailure(JsonNode exceptions) {
        JsonNode history = exceptions.path("exceptionHistory").path("entries");
        if (history.isEmpty()) {
            return null;
        }
        return rootCause(history.get(0).path("stacktrace").asText(history.get(0).path("exceptionName").asText()));
    }

    /**
     * The innermost "Caused by:" of a Java stack trace, else its first line: Flink wraps the error that matters in
     * its own ("The failure is not recoverable", "Recovery is suppressed by ...").
     */
    static String rootCause(String stackTrace) {
        return stackTrace.lines().map(String::trim).filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b)
                .map(l -> l.substring("Caused by: ".length())).orElseGet(() -> firstLine(stackTrace));
    }

    static String firstLine(String text) {
        return text.lines().findFirst().orElse("").trim();
    }

    private static String worse(String a, String b) {
        List<String> order = List.of("ok", "low", "high");
        return order.indexOf(b.toLowerCase()) > order.indexOf(a) ? b.toLowerCase() : a;
    }
}
