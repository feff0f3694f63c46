package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.TapflowException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Flink's REST API (the one the dashboard uses), as far as tapflow needs it: jars, job submission, job listing and
 * details, checkpoints, exceptions, metrics, stop-with-savepoint and cancel. Works with any Flink 1.20 cluster.
 */
public final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String url() {
        return baseUrl;
    }

    /** True when a Flink REST endpoint answers at the URL. */
    public boolean isReachable() {
        try {
            get("/config");
            return true;
        } catch (FlinkUnreachableException e) {
            return false;
        }
    }

    public JsonNode overview() {
        return get("/overview");
    }

    /** The uploaded jars: {@code files[]} with {@code id} and {@code name}. */
    public JsonNode jars() {
        return get("/jars");
    }

    /** Uploads a jar under the given file name and returns its id on the cluster. */
    public String uploadJar(Path jar, String fileName) {
        String boundary = "tapflow-" + UUID.randomUUID();
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload"))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
            String stored = send(request, "upload the job jar").path("filename").asText();
            return Path.of(stored).getFileName().toString();
        } catch (IOException e) {
            throw new TapflowException("cannot read the job jar " + jar + ": " + e.getMessage(), e);
        }
    }

    /** Runs the entry class of an uploaded jar; returns the new job's id. */
    public String runJar(String jarId, JarRun run) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", run.entryClass());
        body.putPOJO("programArgsList", run.args());
        if (run.savepointPath() != null) {
            body.put("savepointPath", run.savepointPath());
            body.put("allowNonRestoredState", run.allowNonRestoredState());
        }
        return post("/jars/" + jarId + "/run", body, Duration.ofMinutes(3), "start the job").path("jobid").asText();
    }

    /** All jobs the cluster knows: {@code jobs[]} with jid, name, state, start-time, duration. */
    public List<JsonNode> jobs() {
        List<JsonNode> out = new ArrayList<>();
        get("/jobs/overview").path("jobs").forEach(out::add);
        return out;
    }

    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    public JsonNode checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** The job's configuration, with its job parameters under {@code execution-config.user-config}. */
    public JsonNode jobConfig(String jobId) {
        return get("/jobs/" + jobId + "/config");
    }

    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions?maxExceptions=50");
    }

    /** Job-level metrics by name (e.g. numRestarts). */
    public JsonNode jobMetrics(String jobId, String names) {
        return get("/jobs/" + jobId + "/metrics?get=" + names);
    }

    /** The metric ids a vertex reports, aggregated over its subtasks. */
    public JsonNode vertexMetricIds(String jobId, String vertexId) {
        return get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics");
    }

    /** Aggregated (min, max, avg, sum) values of a vertex's metrics over its subtasks. */
    public JsonNode vertexMetrics(String jobId, String vertexId, List<String> ids) {
        return get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?get=" + String.join(",", ids));
    }

    /** The ids of the metrics a vertex's operators report on the JobManager (their split enumerators). */
    public JsonNode jobManagerOperatorMetricIds(String jobId, String vertexId) {
        return get("/jobs/" + jobId + "/vertices/" + vertexId + "/jm-operator-metrics");
    }

    /** Values of a vertex's JobManager-side metrics. */
    public JsonNode jobManagerOperatorMetrics(String jobId, String vertexId, List<String> ids) {
        // The ids hold the chained vertex name ("Source: ... -> sink: ..."), which is not valid in a URL as it is.
        return get("/jobs/" + jobId + "/vertices/" + vertexId + "/jm-operator-metrics?get="
                + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8));
    }

    public JsonNode backpressure(String jobId, String vertexId) {
        return get("/jobs/" + jobId + "/vertices/" + vertexId + "/backpressure");
    }

    /** Stops the job with a savepoint (into the cluster's default directory when dir is null); returns the trigger id. */
    public String stopWithSavepoint(String jobId, String dir) {
        ObjectNode body = JSON.createObjectNode();
        if (dir != null) {
            body.put("targetDirectory", dir);
        }
        body.put("drain", false);
        return post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30), "stop the job with a savepoint").path("request-id").asText();
    }

    /** The state of a savepoint operation: {@code status.id} IN_PROGRESS or COMPLETED, {@code operation.location|failure-cause}. */
    public JsonNode savepointStatus(String jobId, String triggerId) {
        return get("/jobs/" + jobId + "/savepoints/" + triggerId);
    }

    /** A setting of the cluster's configuration (as the JobManager read it at start), or empty when it has none. */
    public Optional<String> clusterSetting(String key) {
        for (JsonNode entry : get("/jobmanager/config")) {
            if (key.equals(entry.path("key").asText())) {
                return Optional.of(entry.path("value").asText());
            }
        }
        return Optional.empty();
    }

    /** The ids of the TaskManagers registered now. */
    public List<String> taskManagerIds() {
        List<String> ids = new ArrayList<>();
        get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /** A TaskManager's log file as text; empty when the cluster does not serve it (no log.file configured). */
    public String taskManagerLog(String taskManagerId) {
        return logFile("/taskmanagers/" + taskManagerId + "/log");
    }

    /** The JobManager's log file as text; empty when the cluster does not serve it. */
    public String jobManagerLog() {
        return logFile("/jobmanager/log");
    }

    private String logFile(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            throw new FlinkUnreachableException(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapflowException("interrupted while reading " + path + " from " + baseUrl, e);
        }
    }

    public void cancel(String jobId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
                .timeout(Duration.ofSeconds(30)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
        send(request, "cancel the job");
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build(), "read " + path);
    }

    private JsonNode post(String path, JsonNode body, Duration timeout, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return send(request, what);
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FlinkUnreachableException(baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapflowException("interrupted while waiting for the Flink cluster at " + baseUrl + " to " + what, e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 300) {
            throw new FlinkRequestException(baseUrl, what, response.statusCode(), FlinkErrors.of(json, response.body()));
        }
        return json;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new TapflowException("the server at " + baseUrl + " did not answer like a Flink REST API (no JSON: "
                    + body.substring(0, Math.min(body.length(), 120)) + ")");
        }
    }
}
