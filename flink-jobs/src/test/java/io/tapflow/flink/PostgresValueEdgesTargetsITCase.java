package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL edge values of {@link PostgresValueEdgesITCase} (pre-1582 and BC dates, years beyond 9999,
 * microsecond times, float NaN and infinities, empty and 4-byte text), from the snapshot and the change stream, read
 * back from a PostgreSQL target and from MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod).
 * A MySQL target holds none of BC dates, years beyond 9999 or float infinities: it refuses those rows on write.
 */
class PostgresValueEdgesTargetsITCase {
    @TempDir
    Path checkpoints;

    @Test
    void postgresTargetHoldsEveryEdgeValue() throws Exception {
        String db = TestDatabases.freshName("pgedgespg");
        replicate(db, TestDatabases.postgresTarget(db + "_t"), () -> ValueEdgesTargetsITCase.readPostgres(db + "_t", "t"));
    }

    @Test
    void mongoTargetHoldsEveryEdgeValue() throws Exception {
        String db = TestDatabases.freshName("pgedgesmg");
        replicate(db, TestDatabases.mongoTarget(db + "_t"), () -> ValueEdgesTargetsITCase.readMongo(db + "_t", "t"));
    }

    private void replicate(String db, DataSource target, ValueEdgesTargetsITCase.TargetRows rows) throws Exception {
        DataSource source = TestDatabases.postgresSource(db);
        String[] values = PostgresValueEdgesITCase.ROWS;
        TestDatabases.postgres(db, "CREATE TABLE t (id int PRIMARY KEY, " + PostgresValueEdgesITCase.COLUMNS + ")");
        for (int i = 0; i < values.length; i++) {
            TestDatabases.postgres(db, "INSERT INTO t VALUES (" + (i + 1) + ", " + values[i] + ")");
        }
        Pipeline pipeline = Pipeline.named("pgedges-" + target.type()).readFrom(source.table("t")).writeTo(target.table("t"));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, source, target)),
                TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> rows.read().size() == values.length, () -> "rows: " + rows.read().keySet(), job);
            for (int i = 0; i < values.length; i++) {
                TestDatabases.postgres(db, "INSERT INTO t VALUES (" + (i + 11) + ", " + values[i] + ")");
            }
            await(Duration.ofMinutes(2), () -> rows.read().size() == 2 * values.length, () -> "rows: " + rows.read().keySet(), job);
        } finally {
            // The replication slot outlives the job; release it as tapflow delete does.
            ConnectorFactories.source("postgres").release(source, "pgedges-" + target.type());
        }
        Map<Integer, Map<String, Object>> actual = rows.read();
        for (int kind = 1; kind <= values.length; kind++) {
            for (int id : new int[] {kind, kind + 10}) {
                Map<String, Object> expected = new LinkedHashMap<>();
                PostgresValueEdgesITCase.expected(id, kind)
                        .forEach((column, value) -> expected.put(column, ValueEdgesTargetsITCase.inTarget(target.type(), value)));
                RowAssertions.assertRow(actual.get(id), expected);
            }
        }
    }
}
