package io.tapflow.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Reads a running job's operator metrics through the Flink REST API of the embedded cluster, as a dashboard would. */
final class FlinkRestMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    FlinkRestMetrics(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** The sum over all vertices of the metric whose name ends in {@code "." + name}; 0 when none reports it yet. */
    long sum(String jobId, String name) throws Exception {
        long total = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).get("vertices")) {
            String vertexPath = "/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/metrics";
            String ids = StreamSupport.stream(get(vertexPath).spliterator(), false).map(m -> m.get("id").asText())
                    .filter(id -> id.endsWith("." + name)).collect(Collectors.joining(","));
            if (!ids.isEmpty()) {
                for (JsonNode value : get(vertexPath + "?get=" + ids)) {
                    total += (long) Double.parseDouble(value.get("value").asText());
                }
            }
        }
        return total;
    }

    /**
     * The JobManager-side metrics of the job's operators (split enumerators), id to value, over every vertex; ids look
     * like {@code tapflow.table.<table>.<metric>}.
     */
    java.util.Map<String, String> jobManagerOperatorMetrics(String jobId) throws Exception {
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).get("vertices")) {
            String path = "/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/jm-operator-metrics";
            String ids = StreamSupport.stream(get(path).spliterator(), false).map(m -> m.get("id").asText())
                    .collect(Collectors.joining(","));
            if (!ids.isEmpty()) {
                // The ids hold the chained vertex name, e.g. "Source: ... -> sink": not valid in a URL as they are.
                get(path + "?get=" + java.net.URLEncoder.encode(ids, java.nio.charset.StandardCharsets.UTF_8)).forEach(m -> values.put(m.get("id").asText(), m.get("value").asText()));
            }
        }
        return values;
    }

    /** Checkpoints of the job completed so far. */
    long completedCheckpoints(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
