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

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
