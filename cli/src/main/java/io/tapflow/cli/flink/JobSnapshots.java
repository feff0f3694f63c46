package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cli.flink.JobSnapshot.LastCheckpoint;
import io.tapflow.cli.flink.JobSnapshot.OperatorRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link JobSnapshot} from the REST API. Rows are counted per operator, not per vertex: at parallelism 1 the
 * whole pipeline is one chained task, whose vertex-level counters see nothing pass between source, steps and sink.
 */
public final class JobSnapshots {
    private static final String IN = ".numRecordsIn";
    private static final String OUT = ".numRecordsOut";
    private static final String LAG = ".currentEmitEventTimeLag";
    private static final String RATE = ".numRecordsOutPerSecond";

    private JobSnapshots() {}

    public static JobSnapshot take(FlinkRestClient flink, String jobId) {
        JsonNode job = flink.job(jobId);
        Map<String, long[]> records = new LinkedHashMap<>();
        Long lag = null;
        double readRate = 0;
        String backpressure = "ok";
        boolean running = "RUNNING".equals(job.path("state").asText());
        for (JsonNode vertex : job.path("vertices")) {
            if (!running) {
                break;
            }
            String vertexId = vertex.path("id").asText();
            List<String> wanted = new ArrayList<>();
            for (JsonNode metric : flink.vertexMetricIds(jobId, vertexId)) {
                String id = metric.path("id").asText();
                if (id.endsWith(IN) || id.endsWith(OUT) || id.endsWith(LAG) || (id.startsWith("Source") && id.endsWith(RATE))) {
                    wanted.add(id);
                }
            }
            if (!wanted.isEmpty()) {
                for (JsonNode m : flink.vertexMetrics(jobId, vertexId, wanted)) {
                    String id = m.path("id").asText();
                    if (id.endsWith(RATE)) {
                        readRate += m.path("sum").asDouble();
                    } else if (id.endsWith(LAG)) {
                        lag = lag == null ? m.path("max").asLong() : Math.max(lag, m.path("max").asLong());
                    } else {
                        int dot = id.lastIndexOf('.');
                        long[] inOut = records.computeIfAbsent(id.substring(0, dot), k -> new long[2]);
                        inOut[id.endsWith(IN) ? 0 : 1] = m.path("sum").asLong();
                    }
                }
            }
            backpressure = worse(backpressure, flink.backpressure(jobId, vertexId).path("backpressureLevel").asText("ok"));
        }
        List<OperatorRecords> operators = new ArrayList<>();
        long read = 0;
        long written = 0;
        for (Map.Entry<String, long[]> e : records.entrySet()) {
            operators.add(new OperatorRecords(e.getKey(), e.getValue()[0], e.getValue()[1]));
            if (e.getKey().startsWith("Source")) {
                read += e.getValue()[1];
            } else if (e.getKey().startsWith("sink")) {
                written += e.getValue()[0];
            }
        }
        return new JobSnapshot(job.path("name").asText(), jobId, job.path("state").asText(), job.path("start-time").asLong(),
                job.path("duration").asLong(), System.currentTimeMillis(), operators, read, written, readRate, lag,
                lastCheckpoint(flink.checkpoints(jobId)), restarts(flink, jobId), backpressure, lastFailure(flink.exceptions(jobId)));
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
        return firstLine(history.get(0).path("stacktrace").asText(history.get(0).path("exceptionName").asText()));
    }

    static String firstLine(String text) {
        return text.lines().findFirst().orElse("").trim();
    }

    private static String worse(String a, String b) {
        List<String> order = List.of("ok", "low", "high");
        return order.indexOf(b.toLowerCase()) > order.indexOf(a) ? b.toLowerCase() : a;
    }
}
