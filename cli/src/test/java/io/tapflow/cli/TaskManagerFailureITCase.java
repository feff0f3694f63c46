package io.tapflow.cli;

import static io.tapflow.cli.FlinkClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.servers.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability on a multi-process cluster: a TaskManager running half of a parallelism-2 job is killed with
 * SIGKILL while changes flow. The job restarts from its last checkpoint on the remaining TaskManager, and the target
 * ends equal to the source. The job is submitted like {@code flink run <jar> --pipeline spec.json}; {@code tapflow status},
 * {@code logs} and {@code monitor} show it and its restart, {@code tapflow delete} ends it.
 */
class TaskManagerFailureITCase {
    private static final int ROWS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jobSurvivesAKilledTaskManager() throws Exception {
        // Each process of the cluster takes the first free port of the range for its Prometheus endpoint.
        int prometheusPorts = FreePorts.pick();
        Map<String, String> prometheus = Map.of(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                "metrics.reporter.prom.port", prometheusPorts + "-" + (prometheusPorts + 5));
        try (FlinkClusterFixture f = new FlinkClusterFixture(dir, "ha_" + ProcessHandle.current().pid(), prometheus)) {
            f.mysql(ItemTables.DDL);
            ItemTables.insert(f.database, 1, ROWS);
            f.submitLikeFlinkRun(FlinkClusterFixture.pipelineFile(dir, "ha", "item", 2, ""));
            await(Duration.ofMinutes(2), () -> ItemTables.readPostgres(f.database).size() == ROWS, () -> "snapshot not done");
            await(Duration.ofSeconds(30), () -> statusJson(f).path("rowsWritten").asLong() >= ROWS, f::out);

            try (ItemTables.Writer writer = new ItemTables.Writer(f.database, ROWS + 1, 1)) {
                await(Duration.ofSeconds(30), () -> completedCheckpoints(f) >= 2 && writer.changes() > 200, () -> "no checkpoint yet");
                f.cluster.killTaskManager(0);
                await(Duration.ofMinutes(2), () -> restartedAndRunning(f), () -> f.out() + f.err());
                int changesAfterRestart = writer.changes();
                await(Duration.ofSeconds(30), () -> writer.changes() > changesAfterRestart + 200, () -> "writer is slow");
            }
            Map<Integer, String> source = ItemTables.readMariaDb(f.database);
            await(Duration.ofMinutes(1), () -> ItemTables.readPostgres(f.database).equals(source),
                    () -> "target differs from source: " + ItemTables.readPostgres(f.database).size() + " vs " + source.size() + " rows");

            JsonNode status = statusJson(f);
            assertThat(status.path("tables").size()).as("tables with tapflow metrics: " + status).isEqualTo(2);
            status.path("tables").forEach(t -> assertThat(t.path("rowsRead").asLong() + t.path("rowsWritten").asLong()).isPositive());
            assertThat(status.path("latencyP50Ms").isNumber() && status.path("latencyP99Ms").isNumber())
                    .as("end-to-end latency of the live changes: " + status).isTrue();

            assertThat(scrapePrometheus(prometheusPorts, prometheusPorts + 5)).as("Prometheus export of tapflow's metrics")
                    .contains("flink_taskmanager_job_task_operator_tapflow_table_rowsRead{")
                    .contains("flink_taskmanager_job_task_operator_tapflow_table_rowsWritten{")
                    .contains("flink_taskmanager_job_task_operator_tapflow_endToEndLatencyMs{")
                    .contains("table=\"item\"");

            assertThat(f.tapflow("logs", "ha", "--limit", "500")).as(f.err()).isZero();
            assertThat(f.out()).contains("job RUNNING").contains("checkpoint #").contains("failure in").contains("(the job restarts in 1 s)")
                    .contains("first live change (binlog)");
            assertThat(f.tapflow("logs", "ha", "--limit", "3", "--json")).as(f.err()).isZero();
            assertThat(JSON.readTree(f.out()).size()).isEqualTo(3);
            assertThat(f.tapflow("monitor", "ha", "--count", "2", "--interval-ms", "500")).as(f.err()).isZero();
            assertThat(f.out()).contains("job 'ha'").contains("RUNNING").contains("since last refresh");
            CliRun follower = new CliRun();
            CompletableFuture<Integer> following = CompletableFuture.supplyAsync(
                    () -> follower.run("logs", "ha", "--follow", "--flink", f.cluster.restUrl()));
            assertThat(f.tapflow("delete", "ha")).as(f.err()).isZero();
            assertThat(f.out()).contains("cancelled job").contains("deleted pipeline 'ha'");
            assertThat(following.get(1, TimeUnit.MINUTES)).as("logs --follow ends with the job").isZero();
            assertThat(follower.out()).contains("job CANCELED");
        }
    }

    /** What the processes of the cluster serve at /metrics, all together. */
    private static String scrapePrometheus(int fromPort, int toPort) {
        StringBuilder all = new StringBuilder();
        for (int port = fromPort; port <= toPort; port++) {
            try {
                all.append(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
            } catch (Exception nobodyOnThisPort) {
                // The range has more ports than the cluster has processes (and one TaskManager was killed).
            }
        }
        return all.toString();
    }

    private static long completedCheckpoints(FlinkClusterFixture f) {
        JsonNode status = statusJson(f);
        return status == null || status.path("lastCheckpoint").isNull() ? 0 : status.path("lastCheckpoint").path("id").asLong();
    }

    private static boolean restartedAndRunning(FlinkClusterFixture f) {
        JsonNode status = statusJson(f);
        return status != null && status.path("restarts").asLong() >= 1 && "RUNNING".equals(status.path("state").asText());
    }

    private static JsonNode statusJson(FlinkClusterFixture f) {
        if (f.tapflow("status", "ha", "--json") != 0) {
            throw new AssertionError("tapflow status failed: " + f.err());
        }
        try {
            return JSON.readTree(f.out());
        } catch (Exception e) {
            throw new AssertionError("tapflow status --json printed no JSON: " + f.out(), e);
        }
    }
}
