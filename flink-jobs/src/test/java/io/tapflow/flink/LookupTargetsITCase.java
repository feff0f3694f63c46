package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.dsl.Lookups.rows;
import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.FreePorts;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups into other target shapes: the customer flattened into typed columns of a PostgreSQL table beside the items
 * as jsonb (with the lookup state's size as a metric, and kept across a stop with savepoint and restore), and a nested lookup (each order line embedding its product) into MongoDB, where a product change reaches
 * every order that has a line of it; and the orders view read from a PostgreSQL source.
 */
class LookupTargetsITCase {
    @TempDir
    Path checkpoints;

    @Test
    void flattenedCustomerAndJsonbItemsIntoPostgres() throws Exception {
        String db = TestDatabases.freshName("lookup_flat");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, OrderViews.TABLES);
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 2.00)",
                "INSERT INTO orders VALUES (1, 1, 'a'), (2, 1, 'b'), (3, NULL, 'c')",
                "INSERT INTO order_items VALUES (1, 1, 1, 1.00), (2, 1, 2, 2.50), (3, 2, 3, 3.00)");
        Pipeline pipeline = Pipeline.named("orders-flat").readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), flatten("c_"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(pg.table("orders_flat")).parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        int webPort = FreePorts.pick();
        FlinkRestMetrics metrics = new FlinkRestMetrics(webPort);
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        Path savepoint;
        try (RunningPipeline job = LocalPipelineRunner.start(plan, new LocalRunOptions(checkpoints, webPort, null, SinkOptions.DEFAULTS))) {
            awaitFlat(db, job);
            // Customer join: orders 1 and 2 (order 3 has no customer_id) and customers 1, 2; items join: 3 orders, 3 items.
            String jobId = job.jobId().toHexString();
            await(Duration.ofSeconds(60), () -> stateRows(metrics, jobId) == 10, () -> "state rows " + stateRows(metrics, jobId), job);
            assertThat(columnTypes(db)).containsExactly("id=integer", "customer_id=integer", "note=character varying",
                    "c_id=integer", "c_name=character varying", "c_balance=numeric(10,2)", "items=jsonb");
            TestDatabases.mysql(db, "UPDATE customer SET balance = 99.99 WHERE id = 1", "UPDATE orders SET customer_id = 2 WHERE id = 2",
                    "UPDATE orders SET customer_id = 1 WHERE id = 3", "DELETE FROM customer WHERE id = 2",
                    "INSERT INTO order_items VALUES (4, 3, 4, 4.40)");
            awaitFlat(db, job);
            assertThat(OrderViews.fromPostgresFlat(db, "orders_flat").get(2)).isEqualTo("2 customer_id=2 note=b customer=null items=[{3,2,3,3}]");
            assertThat(OrderViews.fromPostgresFlat(db, "orders_flat").get(3)).isEqualTo("3 customer_id=1 note=c customer={1,Ada,99.99} items=[{4,3,4,4.4}]");
            // Customer join: 3 orders, customer 1; items join: 3 orders, 4 items.
            await(Duration.ofSeconds(60), () -> stateRows(metrics, jobId) == 11, () -> "state rows " + stateRows(metrics, jobId), job);
            savepoint = job.stopWithSavepoint(checkpoints.resolve("savepoints"), Duration.ofMinutes(1));
        }
        // Only the restored lookup state knows which orders embed customer 1: the source resumes after the snapshot.
        TestDatabases.mysql(db, "UPDATE customer SET name = 'Ada S' WHERE id = 1");
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints).withRestoreFrom(savepoint))) {
            awaitFlat(db, job);
            assertThat(OrderViews.fromPostgresFlat(db, "orders_flat").get(1)).contains("customer={1,Ada S,99.99}");
        }
    }

    @Test
    void nestedLookupLinesWithTheirProductIntoMongo() throws Exception {
        String db = TestDatabases.freshName("lookup_nested");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        TestDatabases.mysql(db, "CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE line (id INT PRIMARY KEY, order_id INT, product_id INT, qty INT)",
                "CREATE TABLE product (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))",
                "INSERT INTO orders VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO line VALUES (10, 1, 100, 1), (11, 1, 101, 2), (20, 2, 100, 5)",
                "INSERT INTO product VALUES (100, 'pen', 1.50), (101, 'ink', 7.25)");
        Pipeline pipeline = Pipeline.named("orders-nested").readFrom(mysql.table("orders"))
                .lookupMany(rows(mysql.table("line")).exclude("qty").lookup(mysql.table("product"), on("product_id", "id"), as("product")),
                        on("id", "order_id"), as("lines"), arrayKey("id"))
                .writeTo(mongo.table("orders_nested")).parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, mongo)),
                TestDatabases.runOptions(checkpoints))) {
            Map<Integer, String> expected = Map.of(
                    1, "a [10:100:pen:1.50, 11:101:ink:7.25]",
                    2, "b [20:100:pen:1.50]");
            await(Duration.ofMinutes(2), () -> nested(db).equals(expected), () -> nested(db).toString(), job);
            TestDatabases.mysql(db, "UPDATE product SET name = 'fountain pen' WHERE id = 100", "UPDATE line SET product_id = 100 WHERE id = 11",
                    "DELETE FROM product WHERE id = 101", "INSERT INTO line VALUES (21, 2, 101, 1)");
            Map<Integer, String> changed = Map.of(
                    1, "a [10:100:fountain pen:1.50, 11:100:fountain pen:1.50]",
                    2, "b [20:100:fountain pen:1.50, 21:101:null]");
            await(Duration.ofMinutes(2), () -> nested(db).equals(changed), () -> nested(db).toString(), job);
        }
    }

    @Test
    void lookupsReadFromAPostgresSource() throws Exception {
        String db = TestDatabases.freshName("lookup_pgsrc");
        DataSource pgSource = TestDatabases.postgresSource(db);
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        // Default replica identity: deletes and updates carry no before image beyond the key.
        TestDatabases.postgres(db, OrderViews.TABLES);
        TestDatabases.postgres(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 2.00)",
                "INSERT INTO orders VALUES (1, 1, 'a'), (2, 2, 'b')", "INSERT INTO order_items VALUES (1, 1, 1, 1.00), (2, 2, 2, 2.50)");
        Pipeline pipeline = Pipeline.named("orders-pg").readFrom(pgSource.table("orders"))
                .lookup(pgSource.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(pgSource.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(pg.table("orders_view")).checkpointInterval(Duration.ofSeconds(1));
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, pgSource, pg)),
                TestDatabases.runOptions(checkpoints))) {
            awaitPgJoin(db, job);
            TestDatabases.postgres(db, "UPDATE order_items SET order_id = 1 WHERE item_id = 2", "DELETE FROM customer WHERE id = 1",
                    "UPDATE orders SET customer_id = 2 WHERE id = 1", "DELETE FROM orders WHERE id = 2",
                    "INSERT INTO order_items VALUES (3, 1, 3, 3.30)");
            awaitPgJoin(db, job);
            assertThat(OrderViews.fromPostgresJson(db + "_t", "orders_view"))
                    .containsExactly(Map.entry(1, "1 customer_id=2 note=a customer={2,Bob,2} items=[{1,1,1,1}, {2,1,2,2.5}, {3,1,3,3.3}]"));
        }
    }

    private static void awaitPgJoin(String db, RunningPipeline job) throws Exception {
        try (Connection source = SharedServers.postgres().connect(db)) {
            await(Duration.ofMinutes(2), () -> OrderViews.expected(source).equals(OrderViews.fromPostgresJson(db + "_t", "orders_view")),
                    () -> LookupITCase.difference(OrderViews.expected(source), OrderViews.fromPostgresJson(db + "_t", "orders_view")), job);
        }
    }

    /** Each order as "note [line:product_id:product name:price, ...]"; the line's qty was excluded by its own steps. */
    private static Map<Integer, String> nested(String db) {
        Map<Integer, String> out = new LinkedHashMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection("orders_nested").find()) {
                List<String> lines = new ArrayList<>();
                for (Document line : d.getList("lines", Document.class)) {
                    assertThat(line).doesNotContainKey("qty");
                    Document p = line.get("product", Document.class);
                    lines.add(line.get("id") + ":" + line.get("product_id") + ":"
                            + (p == null ? "null" : p.get("name") + ":" + p.get("price", org.bson.types.Decimal128.class)));
                }
                out.put(d.getInteger("id"), d.getString("note") + " " + lines);
            }
        }
        return out;
    }

    private static long stateRows(FlinkRestMetrics metrics, String jobId) {
        try {
            return metrics.sum(jobId, "stateRows");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitFlat(String db, RunningPipeline job) throws InterruptedException {
        await(Duration.ofMinutes(2), () -> OrderViews.expected(db).equals(OrderViews.fromPostgresFlat(db, "orders_flat")),
                () -> LookupITCase.difference(OrderViews.expected(db), OrderViews.fromPostgresFlat(db, "orders_flat")), job);
    }

    private static List<String> columnTypes(String db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SharedServers.postgres().connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT column_name, format_type(atttypid, atttypmod) FROM information_schema.columns "
                     + "JOIN pg_attribute ON attrelid = 'public.orders_flat'::regclass AND attname = column_name "
                     + "WHERE table_name = 'orders_flat' ORDER BY ordinal_position")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "=" + rs.getString(2).replaceAll("\\(\\d+\\)$", "")
                        .replaceAll("^character varying.*", "character varying"));
            }
        }
        return out;
    }
}
