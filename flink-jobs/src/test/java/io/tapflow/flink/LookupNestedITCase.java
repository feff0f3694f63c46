package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;

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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nested lookup two levels deep (each order embeds its customer and its items, each item its product) at
 * parallelism 2, from MariaDB into MongoDB (the emulator, or a real mongod when TAPFLOW_TEST_MONGO_URI names one) and
 * from PostgreSQL into PostgreSQL jsonb. Changes reach every level: join key changes, NULL join keys that later get a
 * value, rows that arrive before the row that embeds them, deletes and rows inserted again. Half-way the job stops with
 * a savepoint, every table changes while it is stopped, and a job of today's code resumes from it. After each round
 * the target equals the SQL join of the source tables, order by order.
 */
class LookupNestedITCase {
    @TempDir
    Path checkpoints;

    /** Snapshot: item 12 has no product yet (NULL), item 13 no order, item 14 a product that does not exist yet. */
    private static final String[] SEED = {
        "INSERT INTO customer VALUES (1, 'Ada'), (2, 'Bob')",
        "INSERT INTO product VALUES (100, 'pen', 1.50), (101, 'ink', 7.25), (102, 'pad', 3.00)",
        "INSERT INTO orders VALUES (1, 1, 'a'), (2, 2, 'b'), (3, NULL, 'c')",
        "INSERT INTO items VALUES (10, 1, 100, 1), (11, 1, 101, 2), (12, 2, NULL, 3), (13, NULL, 100, 4), (14, 1, 999, 5)"};

    /** While the job runs. */
    private static final String[] LIVE = {
        "UPDATE product SET name = 'fountain pen' WHERE id = 100",
        "UPDATE items SET product_id = 101 WHERE item_id = 12",
        "UPDATE items SET order_id = 3 WHERE item_id = 13",
        "UPDATE orders SET customer_id = 2 WHERE id = 3",
        "UPDATE items SET order_id = 2 WHERE item_id = 11",
        "UPDATE items SET product_id = 102 WHERE item_id = 10",
        "INSERT INTO product VALUES (999, 'late product', 9.99)",
        // An item before its order and its product, then the product, then the order.
        "INSERT INTO items VALUES (15, 4, 103, 6)",
        "INSERT INTO product VALUES (103, 'clip', 0.10)",
        "INSERT INTO orders VALUES (4, 1, 'd')",
        "DELETE FROM product WHERE id = 101",
        "UPDATE items SET qty = 7 WHERE item_id = 14"};

    /** While the job is stopped, between the savepoint and the restore: every table changes. */
    private static final String[] WHILE_STOPPED = {
        "UPDATE customer SET name = 'Ada L' WHERE id = 1",
        "INSERT INTO customer VALUES (3, 'Cy')",
        "DELETE FROM customer WHERE id = 2",
        "UPDATE orders SET customer_id = 3 WHERE id = 2",
        "INSERT INTO orders VALUES (5, 1, 'e')",
        "DELETE FROM orders WHERE id = 1",
        "UPDATE items SET product_id = 100 WHERE item_id = 15",
        "UPDATE items SET order_id = 5 WHERE item_id = 13",
        "DELETE FROM items WHERE item_id = 10",
        "INSERT INTO items VALUES (16, 5, 102, 8)",
        "UPDATE items SET product_id = NULL WHERE item_id = 12",
        "UPDATE product SET price = 3.50 WHERE id = 102",
        "INSERT INTO product VALUES (101, 'ink again', 7.50)",
        "DELETE FROM product WHERE id = 999"};

    /** After the restore: the deleted order comes back with the items the source still holds for it. */
    private static final String[] AFTER_RESTORE = {
        "INSERT INTO orders VALUES (1, 3, 'a again')",
        "UPDATE product SET name = 'pen' WHERE id = 100",
        "INSERT INTO items VALUES (17, 1, 101, 9)"};

    @Test
    void mariaDbIntoMongo() throws Exception {
        String db = TestDatabases.freshName("lookup_nest_my");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, NestedOrderViews.TABLES);
        TestDatabases.mysql(db, SEED);
        DataSource mongo = TestDatabases.mongoTarget(db);
        run(JobSpec.of(pipeline(mysql, mongo), mysql, mongo),
                statements -> TestDatabases.mysql(db, statements),
                () -> SharedServers.mariaDb().connectAsAdmin(db), () -> NestedOrderViews.fromMongo(db, "orders_view"));
    }

    @Test
    void postgresIntoPostgresJsonb() throws Exception {
        String db = TestDatabases.freshName("lookup_nest_pg");
        DataSource source = TestDatabases.postgresSource(db);
        TestDatabases.postgres(db, NestedOrderViews.TABLES);
        TestDatabases.postgres(db, SEED);
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        run(JobSpec.of(pipeline(source, pg), source, pg),
                statements -> TestDatabases.postgres(db, statements),
                () -> SharedServers.postgres().connect(db), () -> NestedOrderViews.fromPostgresJson(db + "_t", "orders_view"));
    }

    private static Pipeline pipeline(DataSource source, DataSource target) {
        return Pipeline.named("orders-nested").readFrom(source.table("orders"))
                .lookup(source.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(rows(source.table("items")).lookup(source.table("product"), on("product_id", "id"), as("product")),
                        on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(target.table("orders_view")).parallelism(2).checkpointInterval(Duration.ofSeconds(1));
    }

    private void run(JobSpec spec, SqlRunner sql, SourceConnection source, Supplier<Map<Integer, String>> target)
            throws Exception {
        JobPlan plan = JobPlanner.plan(spec);
        Path savepoint;
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            awaitJoin(source, target, job, "snapshot");
            sql.run(LIVE);
            awaitJoin(source, target, job, "live changes");
            savepoint = job.stopWithSavepoint(checkpoints.resolve("savepoints"), Duration.ofMinutes(1));
        }
        sql.run(WHILE_STOPPED);
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            awaitJoin(source, target, job, "changes made while stopped, after the restore from the savepoint");
            sql.run(AFTER_RESTORE);
            awaitJoin(source, target, job, "changes after the restore");
        }
    }

    private static void awaitJoin(SourceConnection source, Supplier<Map<Integer, String>> target, RunningPipeline job, String round)
            throws Exception {
        try (Connection c = source.open()) {
            TestDatabases.await(Duration.ofMinutes(2), () -> NestedOrderViews.expected(c).equals(target.get()),
                    () -> round + ": " + LookupITCase.difference(NestedOrderViews.expected(c), target.get()), job);
        }
    }

    private interface SqlRunner {
        void run(String... statements) throws SQLException;
    }

    private interface SourceConnection {
        Connection open() throws SQLException;
    }
}
