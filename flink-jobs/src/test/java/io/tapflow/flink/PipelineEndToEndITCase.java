package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 20,000-row table plus 1,000 live inserts, updates and deletes (one changing a primary key) reach a PostgreSQL
 * target and a MongoDB target (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod); both then equal the
 * source row for row, every column.
 */
class PipelineEndToEndITCase {
    private static final int SNAPSHOT_ROWS = 20_000;
    private static final int LIVE_CHANGES = 1_000;

    @TempDir
    Path checkpoints;

    @Test
    void snapshotAndLiveChangesArriveInPostgresAndMongo() throws Exception {
        String db = TestDatabases.freshName("e2e");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        Random random = new Random(42);
        CustomerTables.createWithRows(db, SNAPSHOT_ROWS, random);

        Pipeline toPg = Pipeline.named("e2e-pg").readFrom(mysql.table("customer"))
                .addField("updated", FieldValue.now()).writeTo(pg.table("customer_v1"))
                .checkpointInterval(Duration.ofSeconds(2));
        Pipeline toMongo = Pipeline.named("e2e-mongo").readFrom(mysql.table("customer"))
                .addField("updated", FieldValue.now()).writeTo(mongo.table("customer_v1"))
                .checkpointInterval(Duration.ofSeconds(2));
        JobPlan pgPlan = JobPlanner.plan(JobSpec.of(toPg, mysql, pg));
        JobPlan mongoPlan = JobPlanner.plan(JobSpec.of(toMongo, mysql, mongo));
        assertThat(pgPlan.createdTargetTables()).containsExactly("customer_v1");

        try (RunningPipeline pgJob = LocalPipelineRunner.start(pgPlan, TestDatabases.runOptions(checkpoints.resolve("pg")));
             RunningPipeline mongoJob = LocalPipelineRunner.start(mongoPlan, TestDatabases.runOptions(checkpoints.resolve("mongo")))) {
            await(Duration.ofMinutes(3), () -> count(db, "pg") == SNAPSHOT_ROWS && count(db, "mongo") == SNAPSHOT_ROWS,
                    () -> "snapshot rows in pg=" + count(db, "pg") + ", mongo=" + count(db, "mongo"), pgJob, mongoJob);

            try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement()) {
                int nextId = SNAPSHOT_ROWS + 1;
                for (int i = 0; i < LIVE_CHANGES - 1; i++) {
                    nextId = CustomerTables.randomChange(c, random, nextId, 10);
                }
                // A primary key change: the row must move, not be copied.
                assertThat(s.executeUpdate("UPDATE customer SET id = 999999 WHERE id = 5")).isEqualTo(1);
            }

            Map<Integer, Map<String, String>> source = CustomerTables.readMariaDb(db);
            await(Duration.ofMinutes(2),
                    () -> source.equals(readPg(db)) && source.equals(CustomerTables.readMongo(db, "customer_v1")),
                    () -> "targets still differ from source: pg has " + readPg(db).size() + " rows, mongo "
                            + CustomerTables.readMongo(db, "customer_v1").size() + ", source " + source.size(), pgJob, mongoJob);

            assertThat(readPg(db)).isEqualTo(source);
            assertThat(CustomerTables.readMongo(db, "customer_v1")).isEqualTo(source);
            assertThat(source).containsKey(999999).doesNotContainKey(5);
            assertThat(nullUpdatedInPg(db)).as("rows without the added 'updated' field").isZero();
        }
    }

    private static Map<Integer, Map<String, String>> readPg(String db) {
        return CustomerTables.readPostgres(db, "customer_v1");
    }

    private static long count(String db, String target) {
        return target.equals("pg") ? readPg(db).size() : CustomerTables.readMongo(db, "customer_v1").size();
    }

    private static int nullUpdatedInPg(String db) throws Exception {
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM customer_v1 WHERE updated IS NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
