package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure modes of a live lookup (TapData's master-slave merge), one test each, on one running job: orders from
 * MariaDB with their customer embedded and their items as an array ordered by item_id, into MongoDB (the emulator,
 * or a real mongod when TAPFLOW_TEST_MONGO_URI names one), at parallelism 2. Each test changes rows of its own ids and
 * then waits until the whole collection equals the SQL join of the source tables again.
 */
class LookupITCase {
    @TempDir
    static Path checkpoints;
    private static String db;
    private static RunningPipeline job;

    @BeforeAll
    static void startJob() throws Exception {
        db = TestDatabases.freshName("lookup");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        TestDatabases.mysql(db, OrderViews.TABLES);
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 0.00), (3, 'Cy', 3.25), (7, 'Gil', 7.00)",
                "INSERT INTO orders VALUES " + IntStream.rangeClosed(1, 1000).mapToObj(i -> "(" + i + ", 1, 'o" + i + "')")
                        .collect(Collectors.joining(", ")),
                "INSERT INTO orders VALUES (2001, 2, 'array'), (2002, 2, 'from'), (2003, 3, 'to'), (2004, NULL, 'late key'),"
                        + " (2006, 2, 'deleted'), (2007, 7, 'child deleted')",
                "INSERT INTO order_items VALUES (30, 2001, 3, 3.00), (10, 2001, 1, 1.10), (20, 2001, 2, 2.20),"
                        + " (40, 2002, 4, 4.00), (41, 2002, 1, 4.10), (60, 2006, 1, 6.00), (70, 2007, 1, 7.00), (71, 2007, 2, 7.10)");
        Pipeline pipeline = Pipeline.named("orders-view").readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(mongo.table("orders_view")).parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, mongo)), TestDatabases.runOptions(checkpoints));
        awaitJoin();
    }

    @AfterAll
    static void stopJob() throws Exception {
        if (job != null) {
            job.close();
        }
    }

    @Test
    void childUpdateFansOutToEveryParent() throws Exception {
        long start = System.nanoTime();
        TestDatabases.mysql(db, "UPDATE customer SET name = 'Ada Lovelace', balance = 11.75 WHERE id = 1");
        await(Duration.ofMinutes(2), () -> OrderViews.fromMongo(db, "orders_view").values().stream()
                .filter(o -> o.contains("customer={1,")).allMatch(o -> o.contains("Ada Lovelace,11.75")), () -> "fan-out pending", job);
        System.out.printf("one customer update reached its 1,000 orders in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").values().stream().filter(o -> o.contains("Ada Lovelace,11.75")))
                .hasSize(1000);
    }

    @Test
    void arrayElementChangesTouchExactlyThatElementInArrayKeyOrder() throws Exception {
        TestDatabases.mysql(db, "INSERT INTO order_items VALUES (15, 2001, 5, 1.50)", "UPDATE order_items SET qty = 9 WHERE item_id = 20",
                "DELETE FROM order_items WHERE item_id = 10");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2001))
                .isEqualTo("2001 customer_id=2 note=array customer={2,Bob,0} items=[{15,2001,5,1.5}, {20,2001,9,2.2}, {30,2001,3,3}]");
    }

    @Test
    void joinKeyChangeMovesTheChildBetweenParents() throws Exception {
        TestDatabases.mysql(db, "UPDATE order_items SET order_id = 2003 WHERE item_id = 40", "UPDATE orders SET customer_id = 3 WHERE id = 2002");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2002)).isEqualTo("2002 customer_id=3 note=from customer={3,Cy,3.25} items=[{41,2002,1,4.1}]");
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2003)).isEqualTo("2003 customer_id=3 note=to customer={3,Cy,3.25} items=[{40,2003,4,4}]");
    }

    @Test
    void nullJoinKeyLaterSetIsMerged() throws Exception {
        TestDatabases.mysql(db, "INSERT INTO order_items VALUES (50, NULL, 1, 5.00)");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2004)).isEqualTo("2004 customer_id=null note=late key customer=null items=[]");
        TestDatabases.mysql(db, "UPDATE orders SET customer_id = 2 WHERE id = 2004", "UPDATE order_items SET order_id = 2004 WHERE item_id = 50");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2004))
                .isEqualTo("2004 customer_id=2 note=late key customer={2,Bob,0} items=[{50,2004,1,5}]");
    }

    @Test
    void childBeforeParentIsEmbeddedWhenTheParentArrives() throws Exception {
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (5, 'Eve', 5.55)", "INSERT INTO order_items VALUES (55, 2005, 2, 5.50)");
        awaitJoin();
        TestDatabases.mysql(db, "INSERT INTO orders VALUES (2005, 5, 'late parent')");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2005))
                .isEqualTo("2005 customer_id=5 note=late parent customer={5,Eve,5.55} items=[{55,2005,2,5.5}]");
    }

    @Test
    void parentDeleteDeletesTheDocument() throws Exception {
        TestDatabases.mysql(db, "DELETE FROM orders WHERE id = 2006");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view")).doesNotContainKey(2006);
        // Its item, still in the source, comes back with the order.
        TestDatabases.mysql(db, "INSERT INTO orders VALUES (2006, 2, 'again')");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2006)).contains("items=[{60,2006,1,6}]");
    }

    @Test
    void childDeleteRemovesTheElementOrSetsNull() throws Exception {
        TestDatabases.mysql(db, "DELETE FROM customer WHERE id = 7", "DELETE FROM order_items WHERE item_id = 70");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2007))
                .isEqualTo("2007 customer_id=7 note=child deleted customer=null items=[{71,2007,2,7.1}]");
    }

    private static void awaitJoin() throws InterruptedException {
        await(Duration.ofMinutes(3), () -> OrderViews.expected(db).equals(OrderViews.fromMongo(db, "orders_view")),
                () -> difference(OrderViews.expected(db), OrderViews.fromMongo(db, "orders_view")), job);
    }

    /** The first orders where the target differs from the join, for the failure message. */
    static String difference(Map<Integer, String> expected, Map<Integer, String> actual) {
        StringBuilder out = new StringBuilder("target differs from the SQL join (" + expected.size() + " orders expected, "
                + actual.size() + " in the target):");
        java.util.Set<Integer> ids = new java.util.TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        ids.stream().filter(id -> !java.util.Objects.equals(expected.get(id), actual.get(id))).limit(5)
                .forEach(id -> out.append("\n  expected ").append(expected.get(id)).append("\n  actual   ").append(actual.get(id)));
        return out.toString();
    }
}
