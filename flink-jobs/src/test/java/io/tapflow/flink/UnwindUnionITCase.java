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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two source tables unioned into one PostgreSQL table (include() leaving out the column only one of them has), with a
 * JSON array column unwound into rows: snapshot, an update that shrinks an array, an insert into the second table and
 * a delete.
 */
class UnwindUnionITCase {
    @TempDir
    Path checkpoints;

    @Test
    void unionOfTwoTablesWithUnwoundTags() throws Exception {
        String db = TestDatabases.freshName("unwind");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db,
                // shop_b has a column shop_a lacks: include() aligns them for the union.
                "CREATE TABLE shop_a (id INT PRIMARY KEY, tags JSON)", "CREATE TABLE shop_b (id INT PRIMARY KEY, tags JSON, extra INT)",
                "INSERT INTO shop_a VALUES (1, '[\"red\", \"big\"]'), (2, '[]'), (3, '[\"x\"]')",
                "INSERT INTO shop_b VALUES (10, '[\"blue\", 7, {\"k\": 1}]', 5)");
        Pipeline pipeline = Pipeline.named("unwind-union").readFrom(mysql.table("shop_a"), mysql.table("shop_b"))
                .include("id", "tags").unwind("tags").writeTo(pg.table("all_tags")).checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        assertThat(plan.createdTargetTables()).containsExactly("all_tags");
        assertThat(plan.targetTables()).allSatisfy(t -> assertThat(t.keyFields()).containsExactly("id", "tags_index"));

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> rows(db).equals("1:0:red 1:1:big 3:0:x 10:0:blue 10:1:7 10:2:{\"k\":1}"),
                    () -> rows(db), job);
            TestDatabases.mysql(db, "UPDATE shop_a SET tags = '[\"red\"]' WHERE id = 1", "DELETE FROM shop_a WHERE id = 3",
                    "INSERT INTO shop_b VALUES (11, '[\"green\"]', 6)");
            await(Duration.ofMinutes(2), () -> rows(db).equals("1:0:red 10:0:blue 10:1:7 10:2:{\"k\":1} 11:0:green"),
                    () -> rows(db), job);
        }
    }

    private static String rows(String db) {
        List<Map<String, String>> rows = PgRows.read(db, "all_tags", "id, tags_index");
        return rows.stream().map(r -> r.get("id") + ":" + r.get("tags_index") + ":" + r.get("tags")).collect(Collectors.joining(" "));
    }
}
