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
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL → MariaDB for a table without a primary key (a pipeline key and REPLICA IDENTITY FULL instead): tapflow
 * creates the MariaDB table from the PostgreSQL column types, and the snapshot and later inserts, updates and deletes
 * arrive with every value intact (compared as text the two servers render alike; timestamptz as epoch millis).
 */
class PostgresToMariaDbITCase {
    private static final String DDL = "CREATE TABLE events (id int NOT NULL, small int2, big int8, num numeric(20,4), "
            + "free numeric, price real, weight double precision, paid boolean, code char(3), note varchar(40), body text, "
            + "payload bytea, day date, at_time time(3), created timestamp(3), changed timestamptz(3), doc jsonb, ref uuid)";
    private static final String INSERT = "INSERT INTO events SELECT g, (g % 100)::int2, g * 10000000000, g * 1.2345, "
            + "g / 8.0, g / 4.0, g / 3.0, g % 2 = 0, 'c' || lpad((g % 100)::text, 2, '0'), 'note ' || g, repeat('x', g), "
            + "decode(lpad(to_hex(g), 8, '0'), 'hex'), date '2024-01-01' + g, time '08:00:00.125' + g * interval '1 second', "
            + "timestamp '2024-01-01 00:00:00.123' + g * interval '1 minute', "
            + "timestamptz '2024-01-01 00:00:00.654+02' + g * interval '1 hour', jsonb_build_object('n', g), "
            + "md5(g::text)::uuid FROM generate_series(";
    private static final String PG_SELECT = "SELECT id, small, big, num, free, price, weight, paid, code, note, body, "
            + "encode(payload, 'hex'), day::text, at_time::text, created::text, round(extract(epoch from changed) * 1000), "
            + "doc::text, ref::text FROM events";
    private static final String MARIADB_SELECT = "SELECT id, small, big, num, free, price, weight, paid, code, note, body, "
            + "lower(hex(payload)), CAST(day AS CHAR), CAST(at_time AS CHAR), CAST(created AS CHAR), "
            + "round(unix_timestamp(changed) * 1000), doc, ref FROM events";

    @TempDir
    Path checkpoints;

    @Test
    void tableWithoutPrimaryKeyArrivesInMariaDbWithEveryValue() throws Exception {
        String db = TestDatabases.freshName("pg2maria");
        DataSource source = TestDatabases.postgresSource(db);
        MariaDbServer maria = SharedServers.mariaDb();
        maria.createDatabase(db);
        DataSource target = DataSource.of("mysql", "maria-" + db).host(maria.host()).port(maria.port())
                .username(maria.adminUser()).password(maria.adminPassword()).database(db);
        TestDatabases.postgres(db, DDL, "ALTER TABLE events REPLICA IDENTITY FULL", INSERT + "1, 200) g");
        String pipelineName = "pg2maria-" + db;

        Pipeline pipeline = Pipeline.named(pipelineName).readFrom(source.table("events")).writeTo(target).key("id")
                .checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, source, target));
        assertThat(plan.createdTargetTables()).containsExactly("events");
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> mariaDb(db).size() == 200, () -> "target rows: " + mariaDb(db).size(), job);
            assertThat(mariaDb(db)).isEqualTo(postgres(db));

            TestDatabases.postgres(db, INSERT + "201, 230) g",
                    "UPDATE events SET note = 'changed', num = num * 2, paid = NOT paid, doc = '{\"x\": [1]}' WHERE id % 4 = 0",
                    "UPDATE events SET body = NULL, payload = NULL, changed = NULL WHERE id BETWEEN 5 AND 9",
                    "DELETE FROM events WHERE id % 9 = 0");
            Map<Integer, Map<String, String>> expected = postgres(db);
            await(Duration.ofMinutes(2), () -> expected.equals(mariaDb(db)),
                    () -> "target still differs: " + mariaDb(db).size() + " rows, source " + expected.size(), job);
        } finally {
            new io.tapflow.flink.connector.postgres.PostgresConnectorFactory().release(source, pipelineName);
        }
    }

    private static Map<Integer, Map<String, String>> postgres(String db) {
        try (Connection c = SharedServers.postgres().connect(db)) {
            return rows(c, PG_SELECT);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Integer, Map<String, String>> mariaDb(String db) {
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db)) {
            return rows(c, MARIADB_SELECT);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146) {
                return Map.of();
            }
            throw new IllegalStateException(e);
        }
    }

    /** Rows by id, each value as text; numbers without trailing zeros, booleans as true/false. */
    private static Map<Integer, Map<String, String>> rows(Connection c, String sql) throws SQLException {
        Map<Integer, Map<String, String>> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    row.put("c" + i, v == null ? null : v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString()
                            : v instanceof Number n && !(v instanceof Float) && !(v instanceof Double)
                                    ? String.valueOf(n.longValue()) : String.valueOf(v));
                }
                rows.put(rs.getInt(1), row);
            }
        }
        return rows;
    }
}
