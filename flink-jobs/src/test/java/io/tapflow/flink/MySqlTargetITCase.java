package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MySQL/MariaDB as a target: the table is created from the source's column types, then snapshot and changes arrive. */
class MySqlTargetITCase {
    private static final int ROWS = 3_000;

    @TempDir
    Path checkpoints;

    @Test
    void snapshotAndChangesArriveInAMySqlTarget() throws Exception {
        String db = TestDatabases.freshName("mysrc");
        String targetDb = db + "_t";
        DataSource source = TestDatabases.mysqlSource(db);
        DataSource target = TestDatabases.mysqlTarget(targetDb);
        Random random = new Random(3);
        CustomerTables.createWithRows(db, ROWS, random);
        Pipeline pipeline = Pipeline.named("to-mysql").readFrom(source.table("customer")).writeTo(target)
                .checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, source, target));
        assertThat(plan.createdTargetTables()).containsExactly("customer");

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> read(targetDb).size() == ROWS, () -> "target rows: " + read(targetDb).size(), job);
            try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
                int nextId = ROWS + 1;
                for (int i = 0; i < 300; i++) {
                    nextId = CustomerTables.randomChange(c, random, nextId, 1);
                }
            }
            Map<Integer, Map<String, String>> expected = CustomerTables.readMariaDb(db);
            await(Duration.ofMinutes(1), () -> expected.equals(read(targetDb)),
                    () -> "target differs from source, e.g. " + firstDifference(expected, read(targetDb)), job);
        }
    }

    private static String firstDifference(Map<Integer, Map<String, String>> source, Map<Integer, Map<String, String>> target) {
        return source.keySet().stream().filter(id -> !source.get(id).equals(target.get(id))).findFirst()
                .map(id -> "source " + source.get(id) + " / target " + target.get(id))
                .orElse(target.size() + " target rows vs " + source.size() + " source rows");
    }

    private static Map<Integer, Map<String, String>> read(String database) {
        try {
            return CustomerTables.readMariaDb(database);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
