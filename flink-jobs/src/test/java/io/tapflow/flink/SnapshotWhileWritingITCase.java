package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot takes no locks: inserts, updates and deletes keep landing in the source while two readers copy it in
 * many small splits. The change stream that follows replays whatever happened since the snapshot began, so the
 * PostgreSQL target must end equal to the source, row for row.
 */
class SnapshotWhileWritingITCase {
    private static final int ROWS = 40_000;

    @TempDir
    Path checkpoints;

    @Test
    void targetConvergesWhenTheSourceChangesDuringTheSnapshot() throws Exception {
        String db = TestDatabases.freshName("busy");
        DataSource mysql = TestDatabases.mysqlSource(db).option("snapshot.chunk-size", 1_000);
        DataSource pg = TestDatabases.postgresTarget(db);
        Random random = new Random(7);
        CustomerTables.createWithRows(db, ROWS, random);
        Pipeline pipeline = Pipeline.named("busy").readFrom(mysql.table("customer")).writeTo(pg.table("customer"))
                .parallelism(2).checkpointInterval(Duration.ofSeconds(1));

        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, pg)),
                TestDatabases.runOptions(checkpoints))) {
            // Changes keep coming until three quarters of the snapshot have arrived.
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                int changes = 0;
                try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
                    int nextId = ROWS + 1;
                    while (CustomerTables.countPostgres(db, "customer") < ROWS * 3 / 4) {
                        for (int i = 0; i < 50; i++, changes++) {
                            nextId = CustomerTables.randomChange(c, random, nextId, 1);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return changes;
            });
            int changesDuringSnapshot = writer.get();
            assertThat(changesDuringSnapshot).as("changes made while the snapshot ran").isGreaterThan(0);

            Map<Integer, Map<String, String>> source = CustomerTables.readMariaDb(db);
            await(Duration.ofMinutes(2), () -> source.equals(readPg(db)),
                    () -> "target has " + readPg(db).size() + " rows, source " + source.size()
                            + "; differing ids: " + differences(source, readPg(db)), job);
        }
    }

    private static String differences(Map<Integer, Map<String, String>> source, Map<Integer, Map<String, String>> target) {
        return source.keySet().stream().filter(id -> !source.get(id).equals(target.get(id))).limit(5).toList()
                + " / only in target: " + target.keySet().stream().filter(id -> !source.containsKey(id)).limit(5).toList();
    }

    private static Map<Integer, Map<String, String>> readPg(String db) {
        return CustomerTables.readPostgres(db, "customer");
    }
}
