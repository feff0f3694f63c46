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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two MariaDB source datasources (two databases, each with its own binlog reader) unioned into one PostgreSQL table,
 * with parallel sink subtasks: the snapshot rows of both, then inserts, updates and deletes on both sides; the target
 * then holds the union row for row. A key both sides write is one target row, which keeps the change that came last.
 */
class UnionAcrossSourcesITCase {
    @TempDir
    Path checkpoints;

    @Test
    void ordersOfTwoDataSourcesInOneTable() throws Exception {
        String eu = TestDatabases.freshName("union_eu");
        String us = TestDatabases.freshName("union_us");
        DataSource euShop = TestDatabases.mysqlSource(eu);
        DataSource usShop = TestDatabases.mysqlSource(us);
        DataSource pg = TestDatabases.postgresTarget(eu);
        TestDatabases.mysql(eu, "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20), amount DECIMAL(10,2))",
                "INSERT INTO orders VALUES (1, 'pen', 1.50), (2, 'ink', 7.25), (3, 'pad', 3.00)");
        // The US table has a column the EU one lacks: include() aligns them for the union.
        TestDatabases.mysql(us, "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20), amount DECIMAL(10,2), state CHAR(2))",
                "INSERT INTO orders VALUES (101, 'cup', 9.99, 'NY'), (102, 'mug', 4.50, 'CA')");
        Pipeline pipeline = Pipeline.named("union-sources").readFrom(euShop.table("orders"), usShop.table("orders"))
                .include("id", "item", "amount").writeTo(pg.table("all_orders")).parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, euShop, usShop, pg));
        assertThat(plan.sources()).extracting(s -> s.datasource().name()).containsExactly(euShop.name(), usShop.name());
        assertThat(plan.createdTargetTables()).containsExactly("all_orders");

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> target(eu).equals(union(eu, us)), () -> target(eu) + " vs " + union(eu, us), job);
            assertThat(target(eu)).hasSize(5);

            TestDatabases.mysql(eu, "INSERT INTO orders VALUES (4, 'cap', 2.00)", "UPDATE orders SET amount = 8.00 WHERE id = 2",
                    "DELETE FROM orders WHERE id = 1");
            TestDatabases.mysql(us, "INSERT INTO orders VALUES (103, 'bag', 12.00, 'TX')",
                    "UPDATE orders SET item = 'big mug' WHERE id = 102", "DELETE FROM orders WHERE id = 101");
            await(Duration.ofMinutes(2), () -> target(eu).equals(union(eu, us)), () -> target(eu) + " vs " + union(eu, us), job);
            assertThat(target(eu)).containsExactly("2:ink:8", "3:pad:3", "4:cap:2", "102:big mug:4.5", "103:bag:12");

            // Key 3 from the US side is the same target row as the EU order 3: the later change wins, and its delete
            // removes the row although the EU order 3 still exists (a union, not a merge).
            TestDatabases.mysql(us, "INSERT INTO orders VALUES (3, 'us-pad', 5.00, 'NY')");
            await(Duration.ofMinutes(1), () -> target(eu).contains("3:us-pad:5"), () -> target(eu).toString(), job);
            TestDatabases.mysql(eu, "UPDATE orders SET item = 'eu-pad' WHERE id = 3");
            await(Duration.ofMinutes(1), () -> target(eu).contains("3:eu-pad:3"), () -> target(eu).toString(), job);
            TestDatabases.mysql(us, "DELETE FROM orders WHERE id = 3");
            await(Duration.ofMinutes(1), () -> target(eu).stream().noneMatch(r -> r.startsWith("3:")), () -> target(eu).toString(), job);
        }
    }

    private static List<String> target(String db) {
        return PgRows.read(db, "all_orders", "id").stream()
                .map(r -> r.get("id") + ":" + r.get("item") + ":" + r.get("amount")).toList();
    }

    /** The rows of both source tables, as the target should hold them (the keys of the two sides differ here). */
    private static List<String> union(String eu, String us) {
        List<String> rows = new ArrayList<>();
        for (String db : List.of(eu, us)) {
            try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, item, amount FROM orders")) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + ":" + rs.getString(2) + ":" + PgRows.number(rs.getString(3)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return rows.stream().sorted((a, b) -> Integer.compare(id(a), id(b))).collect(Collectors.toList());
    }

    private static int id(String row) {
        return Integer.parseInt(row.substring(0, row.indexOf(':')));
    }
}
