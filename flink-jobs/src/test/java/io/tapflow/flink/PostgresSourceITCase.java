package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.source.postgres.PostgresReplicationNames;
import io.tapflow.flink.source.postgres.PostgresReplicationRelease;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL → PostgreSQL through the job translator: the snapshot of existing rows, then live inserts, updates,
 * deletes and a primary-key change; the target equals the source row for row, every column. While the job runs its
 * replication slot and publication exist and the slot cannot be released; once the job is gone, releasing drops both.
 */
class PostgresSourceITCase {
    private static final int SNAPSHOT_ROWS = 500;
    private static final String DDL = "CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), "
            + "qty int2, big int8, price real, weight double precision, paid boolean, code char(3), note varchar(50), "
            + "payload bytea, day date, at_time time(3), created timestamp(6), changed timestamptz(6), doc jsonb, ref uuid)";
    private static final String INSERT = "INSERT INTO orders SELECT g, 'customer ' || g, g * 1.25, (g % 100)::int2, "
            + "g * 10000000000, g / 4.0, g / 3.0, g % 2 = 0, 'c' || (g % 10), CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END, "
            + "decode(lpad(to_hex(g), 8, '0'), 'hex'), date '2024-01-01' + g, time '08:00:00.125' + g * interval '1 second', "
            + "timestamp '2024-01-01 00:00:00.123456' + g * interval '1 minute', "
            + "timestamptz '2024-01-01 00:00:00.654321+02' + g * interval '1 hour', "
            + "jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)), md5(g::text)::uuid FROM generate_series(";

    @TempDir
    Path checkpoints;

    @Test
    void snapshotAndLiveChangesArriveAndTheSlotIsReleased() throws Exception {
        String db = TestDatabases.freshName("pgsrc");
        String dstDb = db + "_dst";
        DataSource source = TestDatabases.postgresSource(db);
        DataSource target = TestDatabases.postgresTarget(dstDb);
        TestDatabases.postgres(db, DDL, insert(1, SNAPSHOT_ROWS));
        String pipelineName = "Orders-" + db;
        String slot = PostgresReplicationNames.slotName(pipelineName);

        Pipeline pipeline = Pipeline.named(pipelineName).readFrom(source.table("orders")).writeTo(target.table("orders"))
                .checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, source, target));
        assertThat(plan.createdTargetTables()).containsExactly("orders");

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> rows(dstDb).size() == SNAPSHOT_ROWS,
                    () -> "snapshot rows in target: " + rows(dstDb).size(), job);
            assertThat(rows(dstDb)).isEqualTo(rows(db));

            TestDatabases.postgres(db, insert(SNAPSHOT_ROWS + 1, SNAPSHOT_ROWS + 100),
                    "UPDATE orders SET amount = amount + 1, note = 'updated', doc = '{\"x\": true}', changed = now() WHERE id % 5 = 0",
                    "UPDATE orders SET note = NULL, payload = NULL WHERE id BETWEEN 10 AND 20",
                    "DELETE FROM orders WHERE id % 7 = 0",
                    "UPDATE orders SET id = 999999 WHERE id = 1");
            List<Map<String, String>> expected = rows(db);
            await(Duration.ofMinutes(2), () -> expected.equals(rows(dstDb)),
                    () -> "target still differs: " + rows(dstDb).size() + " rows, source " + expected.size(), job);
            assertThat(expected).extracting(r -> r.get("id")).contains("999999").doesNotContain("1", "7");

            assertThat(slotActive(db, slot)).as("slot " + slot + " active while the job runs").isTrue();
            assertThat(publicationTables(db, slot)).containsExactly("orders");
            assertThatThrownBy(() -> new PostgresReplicationRelease(source, Duration.ofMillis(500)).release(pipelineName))
                    .isInstanceOf(TapflowException.class)
                    .hasMessageStartingWith("replication slot " + slot + " on datasource '" + source.name() + "' is still in use");
            assertThat(slotActive(db, slot)).isTrue();
        }

        assertThat(ConnectorFactories.source("postgres").release(source, pipelineName)).containsExactly(
                "released replication slot " + slot + " on datasource " + source.name(),
                "dropped publication " + slot + " on datasource " + source.name());
        assertThat(slotActive(db, slot)).as("slot after release").isNull();
        assertThat(publicationTables(db, slot)).isEmpty();
        assertThat(ConnectorFactories.source("postgres").release(source, pipelineName)).isEmpty();
    }

    private static String insert(int fromId, int toId) {
        return INSERT + fromId + ", " + toId + ") g";
    }

    private static List<Map<String, String>> rows(String database) {
        return PgRows.read(database, "orders", "id");
    }

    /** Whether the slot is active, or null when there is no such slot. */
    private static Boolean slotActive(String database, String slot) throws SQLException {
        try (Connection c = SharedServers.postgres().connect(database);
             PreparedStatement ps = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static List<String> publicationTables(String database, String publication) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tablename FROM pg_publication_tables WHERE pubname = '" + publication + "'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
