package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot's per-table progress (splits and rows done, and the server's row estimate) is published as JobManager
 * metrics, which {@code tapflow monitor} reads over the REST API as "rows done of estimated".
 */
class SnapshotProgressMetricsITCase {
    private static final String TABLE_METRIC = ".tapflow.table.";
    @TempDir
    Path checkpoints;

    @Test
    void enumeratorReportsSplitsRowsAndEstimatePerTable() throws Exception {
        String db = TestDatabases.freshName("progress");
        DataSource mysql = TestDatabases.mysqlSource(db).option("snapshot.chunk-size", 1_000);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO big SELECT seq, CONCAT('v', seq) FROM seq_1_to_5000",
                "CREATE TABLE small (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO small VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                "ANALYZE TABLE big, small");
        Pipeline pipeline = Pipeline.named("progress").readFrom(mysql.table("big"), mysql.table("small"))
                .writeTo(pg).checkpointInterval(Duration.ofSeconds(2));
        int webPort = FreePorts.pick();
        FlinkRestMetrics rest = new FlinkRestMetrics(webPort);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, pg)),
                new LocalRunOptions(checkpoints, webPort, null, SinkOptions.DEFAULTS))) {
            String jobId = job.jobId().toHexString();
            // Flink's REST API shows the '.' of a metric group name ("<database>.<table>") as '_'.
            String big = db + "_big.";
            String small = db + "_small.";
            await(Duration.ofMinutes(2), () -> "5000".equals(jobManagerMetrics(rest, jobId).get(big + "snapshotRowsDone"))
                    && "3".equals(jobManagerMetrics(rest, jobId).get(small + "snapshotRowsDone")),
                    () -> "JobManager metrics: " + jobManagerMetrics(rest, jobId), job);
            Map<String, String> metrics = jobManagerMetrics(rest, jobId);
            assertThat(metrics).containsEntry(big + "snapshotSplits", "5").containsEntry(big + "snapshotSplitsDone", "5")
                    .containsEntry(small + "snapshotSplits", "1").containsEntry(small + "snapshotSplitsDone", "1");
            // InnoDB's row count after ANALYZE TABLE is an estimate, not the count.
            assertThat(Long.parseLong(metrics.get(big + "snapshotRowsEstimated"))).isBetween(2_500L, 10_000L);
            assertThat(Long.parseLong(metrics.get(small + "snapshotRowsEstimated"))).isBetween(1L, 10L);
        }
    }

    /** tapflow's per-table JobManager metrics, as "&lt;table&gt;.&lt;metric&gt;" to value. */
    private static Map<String, String> jobManagerMetrics(FlinkRestMetrics rest, String jobId) {
        try {
            Map<String, String> tables = new TreeMap<>();
            rest.jobManagerOperatorMetrics(jobId).forEach((id, value) -> {
                if (id.contains(TABLE_METRIC)) {
                    tables.put(id.substring(id.indexOf(TABLE_METRIC) + TABLE_METRIC.length()), value);
                }
            });
            return tables;
        } catch (Exception e) {
            throw new IllegalStateException("reading JobManager metrics failed", e);
        }
    }
}
