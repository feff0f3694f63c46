package io.tapflow.cli;

import static io.tapflow.cli.FlinkClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability on a multi-process cluster: a TaskManager running half of a parallelism-2 job is killed with
 * SIGKILL while changes flow. The job restarts from its last checkpoint on the remaining TaskManager, and the target
 * ends equal to the source. {@code tapflow status}, {@code logs} and {@code monitor} show the restart.
 */
class TaskManagerFailureITCase {
    private static final int ROWS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jobSurvivesAKilledTaskManager() throws Exception {
        try (FlinkClusterFixture f = new FlinkClusterFixture(dir, "ha_" + ProcessHandle.current().pid())) {
            f.mysql(ItemTables.DDL);
            ItemTables.insert(f.database, 1, ROWS);
            assertThat(f.tapflow("start", FlinkClusterFixture.pipelineFile(dir, "ha", "item", 2, "").toString())).as(f.err()).isZero();
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

            assertThat(f.tapflow("logs", "ha", "--limit", "500")).as(f.err()).isZero();
            assertThat(f.out()).contains("job RUNNING").contains("checkpoint #").contains("failure in").contains("(the job restarts)");
            assertThat(f.tapflow("monitor", "ha", "--count", "2", "--interval-ms", "500")).as(f.err()).isZero();
            assertThat(f.out()).contains("job 'ha'").contains("RUNNING").contains("since last refresh");
            assertThat(f.tapflow("delete", "ha")).as(f.err()).isZero();
            assertThat(f.out()).contains("cancelled job").contains("deleted pipeline 'ha'");
        }
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
