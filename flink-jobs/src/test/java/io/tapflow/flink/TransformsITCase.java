package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.FieldType;
import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every no-code transform and a JS and a Python UDF in one pipeline, MariaDB → PostgreSQL: the snapshot, then live
 * inserts, updates (one leaving the filter, one entering it) and a delete; the target then equals what the steps make
 * of the source, computed here in plain Java.
 */
class TransformsITCase {
    @TempDir
    Path checkpoints;

    @Test
    void everyTransformOnSnapshotAndLiveChanges() throws Exception {
        String db = TestDatabases.freshName("steps");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE orders (id INT PRIMARY KEY, amount DECIMAL(10,2), status VARCHAR(10), "
                + "code VARCHAR(10), carrier VARCHAR(20), purchase_ts DATETIME, note VARCHAR(50))");
        for (int id = 1; id <= 20; id++) {
            TestDatabases.mysql(db, insert(id, id * 3 + ".25", id % 2 == 0 ? "N" : "P"));
        }
        Map<Integer, String> ops = new LinkedHashMap<>();
        for (int id = 1; id <= 20; id++) {
            ops.put(id, "read");
        }
        Pipeline pipeline = Pipeline.named("all-steps").readFrom(mysql.table("orders"))
                .filter("record.amount > 10")
                .exclude("carrier")
                .renameFields(Map.of("purchase_ts", "purchased"))
                .changeType("code", FieldType.INTEGER)
                .changeType("purchased", FieldType.EPOCH_MILLIS)
                .valueMap("status", Map.of("N", "new", "P", "paid"))
                .addField("amount_x2", FieldValue.expression("record.amount * 2", FieldType.DECIMAL))
                .js("record.note = record.note + '|' + op;\nreturn record;")
                .py("def shout(record):\n    record['status'] = record['status'].upper()\n    return record\n", "shout")
                .renameTables("ods_", "")
                .writeTo(pg)
                .checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        assertThat(plan.createdTargetTables()).containsExactly("ods_orders");
        assertThat(plan.targetTables().get(0).columnNames())
                .containsExactly("id", "amount", "status", "code", "purchased", "note", "amount_x2");

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> read(db).equals(expected(db, ops)),
                    () -> "target " + read(db) + "\nexpected " + expected(db, ops), job);

            TestDatabases.mysql(db, insert(101, "50.00", "N"), insert(102, "5.00", "P"),
                    "UPDATE orders SET amount = 5 WHERE id = 6",       // leaves the filter: row must go
                    "UPDATE orders SET amount = 60 WHERE id = 2",      // 6.25 -> 60: enters the filter
                    "UPDATE orders SET status = 'P', code = '77' WHERE id = 10",
                    "DELETE FROM orders WHERE id = 11");
            ops.put(101, "insert");
            ops.put(102, "insert");
            ops.put(6, "update");
            ops.put(2, "update");
            ops.put(10, "update");
            ops.remove(11);
            await(Duration.ofMinutes(2), () -> read(db).equals(expected(db, ops)),
                    () -> "target " + read(db) + "\nexpected " + expected(db, ops), job);
        }
        List<Map<String, String>> rows = read(db);
        assertThat(rows).extracting(r -> r.get("id")).contains("2", "101").doesNotContain("1", "6", "11", "102");
        assertThat(rows).filteredOn(r -> r.get("id").equals("10")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("status", "PAID").containsEntry("code", "77").containsEntry("note", "n10|update"));
    }

    private static String insert(int id, String amount, String status) {
        return "INSERT INTO orders VALUES (" + id + ", " + amount + ", '" + status + "', '" + (id * 10) + "', 'dhl', '2024-05-01 12:"
                + String.format("%02d", id % 60) + ":00', 'n" + id + "')";
    }

    private static List<Map<String, String>> read(String db) {
        return PgRows.read(db, "ods_orders", "id");
    }

    /** What the steps make of the source rows, in plain Java. */
    private static List<Map<String, String>> expected(String db, Map<Integer, String> ops) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (var c = io.tapflow.servers.SharedServers.mariaDb().connectAsAdmin(db); var s = c.createStatement();
             var rs = s.executeQuery("SELECT * FROM orders ORDER BY id")) {
            while (rs.next()) {
                BigDecimal amount = rs.getBigDecimal("amount");
                if (amount.compareTo(BigDecimal.TEN) <= 0) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("id", String.valueOf(rs.getInt("id")));
                row.put("amount", PgRows.number(amount.toPlainString()));
                row.put("status", rs.getString("status").equals("N") ? "NEW" : "PAID");
                row.put("code", rs.getString("code"));
                row.put("purchased", String.valueOf(rs.getObject("purchase_ts", LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli()));
                row.put("note", rs.getString("note") + "|" + ops.get(rs.getInt("id")));
                row.put("amount_x2", PgRows.number(amount.multiply(BigDecimal.valueOf(2)).toPlainString()));
                rows.add(row);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
