package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDFs that fail on some rows, under each error policy, MariaDB → PostgreSQL: dead letters (a JS UDF that throws, a
 * Python UDF that tries to open a file) with their Flink metrics, skipping, and failing the job (a runaway loop stopped
 * by the time limit).
 */
class UdfErrorsITCase {
    private static final String THROW_ON_FIVES = "if (record.id % 5 == 0) {\n  throw new Error('no multiples of five: ' + record.id);\n}\nreturn record;";
    private static final String OPEN_FILE = "def peek(record):\n    if record['id'] == 7:\n        record['name'] = open('/etc/hostname').read()\n    return record\n";

    @TempDir
    Path checkpoints;

    @Test
    void failedRowsGoToTheDeadLetterTableWithStepKeyAndLine() throws Exception {
        String db = source("dlq", 20);
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        Pipeline pipeline = Pipeline.named("dlq").readFrom(mysql.table("items")).js(THROW_ON_FIVES).py(OPEN_FILE, "peek")
                .writeTo(pg.table("items")).onError(ErrorPolicy.deadLetter(pg.table("errors")))
                .checkpointInterval(Duration.ofSeconds(1));
        String jsStep = new Step.JsUdf(THROW_ON_FIVES).id();
        int webPort = FreePorts.pick();
        FlinkRestMetrics metrics = new FlinkRestMetrics(webPort);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, pg)),
                new LocalRunOptions(checkpoints, webPort, null, SinkOptions.DEFAULTS))) {
            await(Duration.ofMinutes(3), () -> PgRows.read(db, "items", "id").size() == 15
                    && PgRows.read(db, "errors", "row_key").size() == 5, () -> "items " + PgRows.read(db, "items", "id").size()
                    + ", errors " + PgRows.read(db, "errors", "row_key"), job);
            TestDatabases.mysql(db, "INSERT INTO items VALUES (25, 'item 25')", "DELETE FROM items WHERE id = 3");
            await(Duration.ofMinutes(2), () -> PgRows.read(db, "errors", "row_key").size() == 6
                    && PgRows.read(db, "items", "id").size() == 14, () -> "errors " + PgRows.read(db, "errors", "row_key"), job);
            String jobId = job.jobId().toHexString();
            // Flink publishes metrics every few seconds: wait until they show every dead letter.
            await(Duration.ofSeconds(60), () -> metric(metrics, jobId, "tapflowDeadLetters") == 6,
                    () -> "tapflowDeadLetters " + metric(metrics, jobId, "tapflowDeadLetters"), job);
            assertThat(metrics.sum(jobId, "tapflowStepErrors")).isEqualTo(6);
            assertThat(metrics.sum(jobId, "tapflowRowsSkipped")).isZero();
        }
        List<Map<String, String>> errors = PgRows.read(db, "errors", "row_key");
        assertThat(errors).extracting(e -> e.get("row_key"))
                .containsExactly("{id=10}", "{id=15}", "{id=20}", "{id=25}", "{id=5}", "{id=7}");
        assertThat(errors.get(0)).containsEntry("pipeline", "dlq").containsEntry("step", jsStep).containsEntry("op", "read")
                .containsEntry("source_table", db + ".items").containsEntry("row_json", "{\"id\":10,\"name\":\"item 10\"}")
                .containsEntry("error", "step '" + jsStep + "' (line 2) failed on row {id=10} of " + db
                        + ".items: Error: no multiples of five: 10");
        assertThat(errors.get(3)).containsEntry("op", "insert");
        assertThat(errors.get(5)).containsEntry("step", "py-peek").extractingByKey("error").asString()
                .startsWith("step 'py-peek' (line 3) failed on row {id=7} of " + db + ".items: PermissionError");
        assertThat(PgRows.read(db, "items", "id")).extracting(r -> r.get("id")).doesNotContain("3", "5", "7", "25");
    }

    @Test
    void skipPolicySkipsUpToItsLimit() throws Exception {
        String db = source("skip", 20);
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        Pipeline pipeline = Pipeline.named("skip").readFrom(mysql.table("items")).js(THROW_ON_FIVES)
                .writeTo(pg.table("items")).onError(ErrorPolicy.skip(4)).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, pg)),
                TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> PgRows.read(db, "items", "id").size() == 16,
                    () -> "items " + PgRows.read(db, "items", "id").size(), job);
            // The fifth failure is one more than the policy allows: the job fails and says why.
            TestDatabases.mysql(db, "INSERT INTO items VALUES (30, 'item 30')");
            assertThatThrownBy(job::awaitTermination).isInstanceOf(TapflowException.class)
                    .hasMessageContaining("failed on row {id=30}")
                    .hasMessageContaining("more than 4 rows failed in this subtask");
        }
    }

    @Test
    void runawayLoopFailsTheJobNamingStepRowAndLine() throws Exception {
        String db = source("loop", 5);
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        String loop = "if (record.id == 3) {\n  while (true) {}\n}\nreturn record;";
        Pipeline pipeline = Pipeline.named("loop").readFrom(mysql.table("items")).js(loop)
                .writeTo(pg.table("items")).udfLimits(new UdfLimits(200, false));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, pg)),
                TestDatabases.runOptions(checkpoints))) {
            assertThatThrownBy(job::awaitTermination).isInstanceOf(TapflowException.class)
                    .hasMessageContaining("step '" + new Step.JsUdf(loop).id() + "' (line 2) failed on row {id=3} of " + db
                            + ".items: ran longer than the time limit of 200 ms per row");
        }
    }

    private static long metric(FlinkRestMetrics metrics, String jobId, String name) {
        try {
            return metrics.sum(jobId, name);
        } catch (Exception e) {
            return -1;
        }
    }

    private static String source(String prefix, int rows) throws Exception {
        String db = TestDatabases.freshName(prefix);
        TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50))");
        for (int id = 1; id <= rows; id++) {
            TestDatabases.mysql(db, "INSERT INTO items VALUES (" + id + ", 'item " + id + "')");
        }
        return db;
    }
}
