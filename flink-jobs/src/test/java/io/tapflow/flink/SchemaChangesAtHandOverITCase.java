package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.source.mysql.snapshot.SnapshotSplitEnumerator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL on a MariaDB source between the position the snapshot recorded and the start of the change stream: the binlog
 * rows written before each change must be decoded with the columns they were written with. The hand-over is held
 * deterministically: at parallelism 2 the change stream starts only after a checkpoint that covers every snapshot row
 * has completed, and the job checkpoints once an hour, so it waits there. The DDL is made then; a savepoint (which
 * Flink reports complete to no operator, so the wait goes on) keeps the finished snapshot and its start position, the
 * job is cancelled, and a run resumed from the savepoint starts the change stream at that position.
 */
class SchemaChangesAtHandOverITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path checkpoints;
    @TempDir
    Path savepoints;

    @Test
    void rowsWrittenBeforeEachDdlKeepTheirColumns() throws Exception {
        String db = TestDatabases.freshName("handover");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE h (id INT PRIMARY KEY, a VARCHAR(10), b INT)",
                "INSERT INTO h VALUES (1, 'one', 10), (2, 'two', 20)");
        Pipeline held = Pipeline.named("handover").readFrom(src.tables("h")).writeTo(pg).schemaChanges("evolve")
                .parallelism(2).checkpointInterval(Duration.ofHours(1));
        Path savepoint;
        try (LogCapture snapshot = new LogCapture(SnapshotSplitEnumerator.class);
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(held, src, pg)),
                     TestDatabases.runOptions(checkpoints))) {
            await(WAIT, () -> snapshot.text().contains("the change stream starts at binlog"), snapshot::text, job);
            assertThat(snapshot.text()).as("the hand-over waits for a checkpoint").contains("after the next checkpoint")
                    .doesNotContain("holds every snapshot row");
            TestDatabases.mysql(db, "INSERT INTO h VALUES (3, 'before', 30)",
                    "ALTER TABLE h ADD COLUMN m INT AFTER a", "INSERT INTO h VALUES (4, 'middle', 44, 40)",
                    "UPDATE h SET m = 11 WHERE id = 1",
                    "ALTER TABLE h ADD COLUMN e VARCHAR(10)", "INSERT INTO h VALUES (5, 'end', 55, 50, 'e5')",
                    "UPDATE h SET b = 21 WHERE id = 2",
                    "ALTER TABLE h DROP COLUMN b", "INSERT INTO h VALUES (6, 'dropped', 66, 'e6')",
                    "UPDATE h SET a = 'changed' WHERE id = 3");
            savepoint = savepointOnceEveryTaskRuns(job);
            assertThat(snapshot.text()).as("still waiting").doesNotContain("holds every snapshot row");
        }
        Pipeline resumed = Pipeline.named("handover").readFrom(src.tables("h")).writeTo(pg).schemaChanges("evolve")
                .parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(resumed, src, pg)),
                TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            await(WAIT, () -> PgRows.read(db, "h", "id").equals(MariaDbRows.read(db, "h")),
                    () -> PgRows.read(db, "h", "id") + " vs " + MariaDbRows.read(db, "h"), job);
        }
        assertThat(PgRows.read(db, "h", "id").toString()).isEqualTo("[{id=1, a=one, m=11, e=null}, "
                + "{id=2, a=two, m=null, e=null}, {id=3, a=changed, m=null, e=null}, {id=4, a=middle, m=44, e=null}, "
                + "{id=5, a=end, m=55, e=e5}, {id=6, a=dropped, m=66, e=e6}]");
    }

    /** The snapshot can end before every sink subtask runs on a loaded machine; a savepoint needs them all running. */
    private Path savepointOnceEveryTaskRuns(RunningPipeline job) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return job.savepoint(savepoints, Duration.ofMinutes(1));
            } catch (TapflowException e) {
                if (!e.getMessage().contains("Not all required tasks are currently running") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
