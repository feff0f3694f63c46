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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL source read by a user who is no superuser, so the pipeline's publication lists the matched tables
 * rather than covering the schema. A matching table the user creates while the job runs, with rows and no other
 * change flowing, is added to the publication and copied within seconds (its rows as a snapshot, then its changes);
 * one the user does not own is named in a warning with the statement an administrator must run, and taken in once it
 * is run; a dropped table is reported (pgoutput sends no DROP TABLE: the job polls the catalog) and its target table
 * is left as it is. At parallelism 2 (into PostgreSQL and into MySQL): there the subtask that reads the change stream
 * polls the catalog, and the snapshots it reads join the stream in order.
 */
class PostgresNewTablesITCase {
    private static final Duration SECONDS = Duration.ofSeconds(30);

    @TempDir
    Path checkpoints;

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"postgres", "mysql"})
    void newTablesJoinAListedPublicationAndDropsAreReportedAtParallelism2(String targetType) throws Exception {
        String db = TestDatabases.freshName("newtab");
        String user = db + "_u";
        DataSource src = TestDatabases.postgresSource(db).username(user).password("pw");
        TargetTables target = TargetTables.of(targetType, db + "_t");
        TestDatabases.postgres(db, "CREATE ROLE " + user + " LOGIN REPLICATION PASSWORD 'pw'",
                "GRANT CREATE ON DATABASE " + db + " TO " + user, "SET ROLE " + user,
                "CREATE TABLE item_1 (id INT PRIMARY KEY, item VARCHAR(20))", "INSERT INTO item_1 VALUES (1, 'pen')");
        String publication = "tapflow_" + db;
        try {
            Pipeline pipeline = Pipeline.named(db).readFrom(src.tables("item_\\d")).writeTo(target.datasource())
                    .parallelism(2).checkpointInterval(Duration.ofSeconds(1));
            JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, src, target.datasource()));
            assertThat(plan.matchedTables().get(1)).startsWith("source '" + src.name() + "': publication " + publication
                    + " lists the matched tables, and a table created while the job runs is added to it");
            try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
                 LogCapture catchUp = new LogCapture(Class.forName("io.tapflow.flink.job.CatchUpSnapshots"));
                 RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
                await(Duration.ofMinutes(3), () -> target.rows("item_1").size() == 1,
                        () -> "item_1 not copied", job);

                TestDatabases.postgres(db, "SET ROLE " + user, "CREATE TABLE item_2 (id INT PRIMARY KEY, item VARCHAR(20))",
                        "INSERT INTO item_2 VALUES (1, 'a'), (2, 'b')");
                await(SECONDS, () -> sameRows(db, target, "item_2"), () -> "item_2 not copied", job);
                assertThat(catchUp.text()).contains("table public.item_2 joined the change stream after its creation: its "
                        + "2 rows read as a snapshot -> target: item_2");
                TestDatabases.postgres(db, "INSERT INTO item_2 VALUES (3, 'c')", "UPDATE item_2 SET item = 'z' WHERE id = 1");
                await(SECONDS, () -> sameRows(db, target, "item_2"), () -> target.rows("item_2").toString(), job);

                // Made by the administrator: the pipeline's user may read it, not add it to the publication.
                TestDatabases.postgres(db, "CREATE TABLE item_3 (id INT PRIMARY KEY, item VARCHAR(20))",
                        "GRANT SELECT ON item_3 TO " + user, "INSERT INTO item_3 VALUES (1, 'x')");
                String add = "ALTER PUBLICATION \"" + publication + "\" ADD TABLE \"public\".\"item_3\"";
                await(SECONDS, () -> log.text().contains("table public.item_3 matches the pipeline's table patterns but its "
                        + "changes are not captured: user '" + user + "' may not add it to publication " + publication),
                        () -> "no warning about item_3", job);
                assertThat(log.text()).contains("an administrator must run " + add + " (the job then reads it");
                assertThat(target.exists("item_3")).isFalse();
                TestDatabases.postgres(db, add);
                await(SECONDS, () -> sameRows(db, target, "item_3"), () -> "item_3 not copied", job);

                TestDatabases.postgres(db, "DROP TABLE item_2");
                await(SECONDS, () -> log.text().contains("tapflow[" + job.jobId() + "] schema change on public.item_2: "
                        + "DROP TABLE -> target: item_2 left as it is (policy lenient)"), () -> "no DROP TABLE reported", job);
                TestDatabases.postgres(db, "INSERT INTO item_1 VALUES (2, 'ink')");
                await(SECONDS, () -> sameRows(db, target, "item_1"), () -> "item_1 not streamed", job);
            }
            assertThat(target.rows("item_2").toString()).isEqualTo("[{id=1, item=z}, {id=2, item=b}, {id=3, item=c}]");
        } finally {
            // Roles are the server's, not the database's: leave none behind on a shared server.
            TestDatabases.postgres(db, "DROP OWNED BY " + user, "DROP ROLE " + user);
        }
    }

    private static boolean sameRows(String db, TargetTables target, String table) {
        return target.exists(table) && target.rows(table).equals(PgRows.read(db, table, "id"));
    }
}
