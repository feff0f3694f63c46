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
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
 *
 * <p>The five failure modes #16 names (TapData's tracker), one test each, at parallelism 2: duplicate array entries
 * ({@link #noDuplicateArrayEntriesAfterRepeatedUpdatesAMoveAwayAndBackAndAReinsert}), stale elements after a join key
 * change ({@link #joinKeyChangeMovesTheChildBetweenParents}), a NULL join key that later gets a value
 * ({@link #nullJoinKeyLaterSetIsMerged}), a cache returning an old version
 * ({@link #aParentJoinedRightAfterALookedUpRowChangesEmbedsItsLatestVersion}) and a long full load
 * ({@link #fullLoadWithHotJoinKeysWritesEachOrderAboutOnce}, a job of its own into PostgreSQL).
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
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 0.00), (3, 'Cy', 3.25), (7, 'Gil', 7.00),"
                        + " (9, 'Ivy', 9.00)",
                "INSERT INTO orders VALUES " + IntStream.rangeClosed(1, 1000).mapToObj(i -> "(" + i + ", 1, 'o" + i + "')")
                        .collect(Collectors.joining(", ")),
                "INSERT INTO orders VALUES (2001, 2, 'array'), (2002, 2, 'from'), (2003, 3, 'to'), (2004, NULL, 'late key'),"
                        + " (2006, 2, 'deleted'), (2007, 7, 'child deleted'), (2008, 2, 'dups'), (2010, 2, 'to Ivy')",
                "INSERT INTO order_items VALUES (30, 2001, 3, 3.00), (10, 2001, 1, 1.10), (20, 2001, 2, 2.20),"
                        + " (40, 2002, 4, 4.00), (41, 2002, 1, 4.10), (60, 2006, 1, 6.00), (70, 2007, 1, 7.00), (71, 2007, 2, 7.10),"
                        + " (80, 2008, 1, 8.00), (81, 2008, 1, 8.10)");
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

    /** Failure mode "duplicate array entries": an element changed many times, moved away and back, deleted and inserted again. */
    @Test
    void noDuplicateArrayEntriesAfterRepeatedUpdatesAMoveAwayAndBackAndAReinsert() throws Exception {
        TestDatabases.mysql(db, "UPDATE order_items SET qty = 2 WHERE item_id = 80", "UPDATE order_items SET qty = 3 WHERE item_id = 80",
                "UPDATE order_items SET order_id = 2001 WHERE item_id = 81", "UPDATE order_items SET qty = 4 WHERE item_id = 80",
                "UPDATE order_items SET order_id = 2008 WHERE item_id = 81", "DELETE FROM order_items WHERE item_id = 80",
                "INSERT INTO order_items VALUES (80, 2008, 6, 8.00)", "INSERT INTO order_items VALUES (82, 2008, 1, 8.20)",
                "START TRANSACTION", "UPDATE order_items SET price = 8.30 WHERE item_id = 82", "DELETE FROM order_items WHERE item_id = 82",
                "INSERT INTO order_items VALUES (82, 2008, 2, 8.40)", "COMMIT");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2008))
                .isEqualTo("2008 customer_id=2 note=dups customer={2,Bob,0} items=[{80,2008,6,8}, {81,2008,1,8.1}, {82,2008,2,8.4}]");
    }

    /**
     * Failure mode "a cache returning an old version": parents that join a looked-up row right after it changes (a new
     * order, an order moved to it and back, in and out of one transaction) embed its latest version.
     */
    @Test
    void aParentJoinedRightAfterALookedUpRowChangesEmbedsItsLatestVersion() throws Exception {
        TestDatabases.mysql(db, "UPDATE customer SET name = 'Ivy 1' WHERE id = 9", "INSERT INTO orders VALUES (2009, 9, 'joins at once')",
                "UPDATE customer SET name = 'Ivy 2', balance = 9.20 WHERE id = 9", "UPDATE orders SET customer_id = 9 WHERE id = 2010",
                "START TRANSACTION", "UPDATE customer SET name = 'Ivy 3' WHERE id = 9", "UPDATE orders SET note = 'moved' WHERE id = 2010",
                "INSERT INTO order_items VALUES (90, 2009, 1, 9.00)", "UPDATE order_items SET price = 9.50 WHERE item_id = 90", "COMMIT",
                "UPDATE orders SET customer_id = 2 WHERE id = 2010", "UPDATE orders SET customer_id = 9 WHERE id = 2010");
        awaitJoin();
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2009))
                .isEqualTo("2009 customer_id=9 note=joins at once customer={9,Ivy 3,9.2} items=[{90,2009,1,9.5}]");
        assertThat(OrderViews.fromMongo(db, "orders_view").get(2010)).isEqualTo("2010 customer_id=9 note=moved customer={9,Ivy 3,9.2} items=[]");
    }

    /**
     * Failure mode "a full load that took days": the snapshot through the lookups stays linear in the rows with hot join
     * keys (one customer embedded by 700 of 1,000 orders, one order embedding 6,000 of 8,000 items). An order is
     * re-emitted when looked-up rows of its key arrive after it (parallel snapshot readers overlap), but once per
     * 100 ms batch of them, not once per row: re-emitting the hot order with its growing array for each of its items
     * is quadratic. The load takes 7-10 s here, and must end within 90 s: with a re-emission per looked-up row it took
     * 143 s. The sink's buffer merges the versions of one key, so PostgreSQL's row counters (at most 3 writes per
     * order) bound what reaches the target, not the work before it.
     */
    @Test
    void fullLoadWithHotJoinKeysWritesEachOrderAboutOnce() throws Exception {
        String full = TestDatabases.freshName("lookup_full");
        DataSource mysql = TestDatabases.mysqlSource(full);
        DataSource pg = TestDatabases.postgresTarget(full);
        TestDatabases.mysql(full, OrderViews.TABLES);
        int orders = 1_000;
        int hotItems = 6_000;
        TestDatabases.mysql(full, "INSERT INTO customer VALUES " + IntStream.rangeClosed(1, 100)
                        .mapToObj(i -> "(" + i + ", 'c" + i + "', " + i + ".00)").collect(Collectors.joining(", ")),
                "INSERT INTO orders VALUES " + IntStream.rangeClosed(1, orders)
                        .mapToObj(i -> "(" + i + ", " + (i <= 700 ? 1 : i % 100 + 1) + ", 'o" + i + "')").collect(Collectors.joining(", ")),
                "INSERT INTO order_items VALUES " + IntStream.rangeClosed(1, hotItems + 2_000)
                        .mapToObj(i -> "(" + i + ", " + (i <= hotItems ? 1 : i % (orders - 1) + 2) + ", 1, 1.00)").collect(Collectors.joining(", ")));
        Pipeline pipeline = Pipeline.named("orders-full").readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(pg.table("orders_view")).parallelism(2).checkpointInterval(Duration.ofSeconds(1));
        long start = System.nanoTime();
        try (RunningPipeline load = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, mysql, pg)),
                TestDatabases.runOptions(checkpoints.resolve("full")))) {
            await(Duration.ofSeconds(90), () -> PgRows.tableExists(full, "orders_view") && OrderViews.expected(full)
                    .equals(OrderViews.fromPostgresJson(full, "orders_view")), () -> difference(OrderViews.expected(full),
                    OrderViews.fromPostgresJson(full, "orders_view")), load);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        Thread.sleep(1_000); // PostgreSQL publishes its row counters with up to 0.5 s delay
        long writes;
        try (Connection c = SharedServers.postgres().connect(full); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables WHERE relname = 'orders_view'")) {
            rs.next();
            writes = rs.getLong(1);
        }
        System.out.printf("full load of %d orders (hot customer and order) in %d s: %d rows written, %.2f per order%n",
                orders, seconds, writes, (double) writes / orders);
        assertThat(writes).as("rows written to the target for %d orders, %d items of one of them", orders, hotItems)
                .isBetween((long) orders, 3L * orders);
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
