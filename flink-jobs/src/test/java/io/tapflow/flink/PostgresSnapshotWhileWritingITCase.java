package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inserts, updates and deletes keep landing in a PostgreSQL source while two readers copy it chunk by chunk without
 * Flink CDC's backfill: the change stream, which starts before the first chunk, replays them, so the target must end
 * equal to the source, row for row.
 */
class PostgresSnapshotWhileWritingITCase {
    private static final int ROWS = 40_000;

    @TempDir
    Path checkpoints;

    @Test
    void targetConvergesWhenTheSourceChangesDuringTheSnapshot() throws Exception {
        String db = TestDatabases.freshName("pgbusy");
        String dstDb = db + "_dst";
        DataSource source = TestDatabases.postgresSource(db);
        DataSource target = TestDatabases.postgresTarget(dstDb);
        TestDatabases.postgres(db, "CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL, note text)",
                "INSERT INTO item SELECT g, g % 1000, 'item ' || g FROM generate_series(1, " + ROWS + ") g");
        String pipelineName = "busy-" + db;
        Pipeline pipeline = Pipeline.named(pipelineName).readFrom(source.table("item")).writeTo(target.table("item"))
                .parallelism(2).checkpointInterval(Duration.ofSeconds(1));

        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            // Changes keep coming until three quarters of the snapshot have arrived.
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> changeUntilMostlyCopied(db, dstDb));
            assertThat(writer.get()).as("changes made while the snapshot ran").isGreaterThan(0);

            List<Map<String, String>> expected = rows(db);
            await(Duration.ofMinutes(2), () -> expected.equals(rows(dstDb)),
                    () -> "target has " + rows(dstDb).size() + " rows, source " + expected.size(), job);
        } finally {
            ConnectorFactories.source("postgres").release(source, pipelineName);
        }
    }

    private static int changeUntilMostlyCopied(String db, String dstDb) {
        Random random = new Random(11);
        int changes = 0;
        try (Connection c = SharedServers.postgres().connect(db);
             PreparedStatement update = c.prepareStatement("UPDATE item SET qty = qty + 1, note = ? WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM item WHERE id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO item VALUES (?, 0, 'new')")) {
            int nextId = ROWS + 1;
            while (rows(dstDb).size() < ROWS * 3 / 4) {
                for (int i = 0; i < 50; i++, changes++) {
                    int id = 1 + random.nextInt(ROWS);
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            update.setString(1, "changed " + changes);
                            update.setInt(2, id);
                            update.executeUpdate();
                        }
                        case 1 -> {
                            delete.setInt(1, id);
                            delete.executeUpdate();
                        }
                        default -> {
                            insert.setInt(1, nextId++);
                            insert.executeUpdate();
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    private static List<Map<String, String>> rows(String database) {
        return PgRows.read(database, "item", "id");
    }
}
