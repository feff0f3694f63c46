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
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TRUNCATE in a lookup pipeline under evolve, at parallelism 1 and 2: orders embedding their customer (an object) and
 * their items (an array). A looked-up table's TRUNCATE takes its rows out of every document; the parents' TRUNCATE
 * empties the target and the lookup state of the orders, so a later change of a customer writes no truncated order
 * again. Each TRUNCATE comes between changes of every row before it and rows after it (on keys that existed before,
 * too); after each the target equals the SQL join of the source tables, document by document. At parallelism 2 the
 * rows before and after each TRUNCATE are spread over both subtasks of every lookup operator, whose copies of the
 * TRUNCATE meet them in any order.
 */
class LookupTruncateITCase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path checkpoints;

    /** From MariaDB into MongoDB (the mongo-java-server emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod). */
    @Test
    void mariaDbIntoMongo() throws Exception {
        mariaDbIntoMongo(1);
    }

    @Test
    void mariaDbIntoMongoInParallel() throws Exception {
        mariaDbIntoMongo(2);
    }

    private void mariaDbIntoMongo(int parallelism) throws Exception {
        String db = TestDatabases.freshName("lk_trm");
        DataSource src = TestDatabases.mysqlSource(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        TestDatabases.mysql(db, OrderViews.TABLES);
        TestDatabases.mysql(db, FIRST_ROWS);
        run(db, parallelism, src, mongo, sql -> TestDatabases.mysql(db, sql), () -> OrderViews.fromMongo(db, "orders_view"),
                () -> OrderViews.expected(db));
    }

    /** From PostgreSQL (TRUNCATE in pgoutput) into PostgreSQL jsonb columns. */
    @Test
    void postgresIntoPostgresJsonb() throws Exception {
        postgresIntoPostgresJsonb(1);
    }

    @Test
    void postgresIntoPostgresJsonbInParallel() throws Exception {
        postgresIntoPostgresJsonb(2);
    }

    private void postgresIntoPostgresJsonb(int parallelism) throws Exception {
        String db = TestDatabases.freshName("lk_trp");
        DataSource src = TestDatabases.postgresSource(db);
        DataSource pg = TestDatabases.postgresTarget(db + "_t");
        TestDatabases.postgres(db, OrderViews.TABLES);
        TestDatabases.postgres(db, FIRST_ROWS);
        try (Connection source = SharedServers.postgres().connect(db)) {
            run(db, parallelism, src, pg, sql -> TestDatabases.postgres(db, sql), () -> OrderViews.fromPostgresJson(db + "_t", "orders_view"),
                    () -> OrderViews.expected(source));
        }
    }

    private static final String[] FIRST_ROWS = {
        "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 2.00), (3, 'Cy', 3.25)",
        "INSERT INTO orders VALUES " + IntStream.rangeClosed(1, 60).mapToObj(i -> "(" + i + ", " + (i % 3 + 1) + ", 'o" + i + "')")
                .collect(Collectors.joining(", ")) + ", (61, NULL, 'no customer')",
        "INSERT INTO order_items VALUES " + IntStream.rangeClosed(1, 90).mapToObj(i -> "(" + i + ", " + (i % 30 + 1) + ", " + i + ", 1.50)")
                .collect(Collectors.joining(", "))};

    /** Runs statements in the source database. */
    private interface SourceSql {
        void run(String... statements) throws Exception;
    }

    private void run(String db, int parallelism, DataSource src, DataSource target, SourceSql sql,
                     Supplier<Map<Integer, String>> actual, Supplier<Map<Integer, String>> expected) throws Exception {
        Pipeline pipeline = Pipeline.named(db.replace('_', '-')).readFrom(src.table("orders"))
                .lookup(src.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(src.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(target.table("orders_view")).schemaChanges("evolve").parallelism(parallelism).checkpointInterval(Duration.ofSeconds(1));
        try (LogCapture log = new LogCapture(Class.forName("io.tapflow.flink.job.SchemaChangeFollower"));
             RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(pipeline, src, target)),
                     TestDatabases.runOptions(checkpoints))) {
            awaitJoin(job, actual, expected);
            assertThat(actual.get()).hasSize(61);
            // At parallelism > 1 the change stream starts after a checkpoint that covers the snapshot.
            sql.run("UPDATE orders SET note = 'streaming' WHERE id = 61");
            awaitJoin(job, actual, expected);

            // The items' TRUNCATE: every array loses its elements; items after it (on item_ids of before) are in.
            sql.run("UPDATE order_items SET qty = qty + 100", "TRUNCATE TABLE order_items",
                    "INSERT INTO order_items VALUES (5, 1, 7, 7.00), (500, 2, 8, 8.00), " + IntStream.rangeClosed(10, 29)
                            .mapToObj(i -> "(" + i + ", " + (i + 20) + ", " + i + ", 2.50)").collect(Collectors.joining(", ")));
            awaitJoin(job, actual, expected);
            assertThat(actual.get().get(1)).endsWith("items=[{5,1,7,7}]");
            assertThat(actual.get().get(4)).endsWith("items=[]");

            // The customers' TRUNCATE: every embedded customer becomes null, but the one inserted after it.
            sql.run("UPDATE customer SET name = 'before'", "TRUNCATE TABLE customer",
                    "INSERT INTO customer VALUES (2, 'Bea', 1.00), (3, 'Cy 2', 3.00)");
            awaitJoin(job, actual, expected);
            assertThat(actual.get().get(1)).contains("customer={2,Bea,1}");
            assertThat(actual.get().get(3)).contains("customer=null");

            // The orders' own TRUNCATE: the target is emptied and the orders forgotten; orders after it (one on an id
            // of before) are joined, and a change of their customer and items writes only them again.
            sql.run("UPDATE orders SET note = 'before'", "TRUNCATE TABLE orders",
                    "INSERT INTO orders VALUES (1, 2, 'after'), (70, 2, 'new'), " + IntStream.rangeClosed(30, 45)
                            .mapToObj(i -> "(" + i + ", " + (i % 3 + 1) + ", 'again " + i + "')").collect(Collectors.joining(", ")),
                    "INSERT INTO order_items VALUES (700, 70, 1, 2.00)",
                    "UPDATE customer SET name = 'Bea 2' WHERE id = 2", "UPDATE order_items SET qty = 9 WHERE item_id = 5");
            awaitJoin(job, actual, expected);
            assertThat(actual.get()).containsOnlyKeys(Stream.concat(Stream.of(1, 70), IntStream.rangeClosed(30, 45).boxed()).toArray(Integer[]::new));
            assertThat(log.text()).contains("tapflow[" + job.jobId() + "] schema change on ",
                    ".order_items (looked up): TRUNCATE -> target: its rows leave every document that embeds them",
                    ".orders: TRUNCATE -> target: every row of orders_view deleted, and the lookup state of its rows cleared (policy evolve)");
        }
    }

    private static void awaitJoin(RunningPipeline job, Supplier<Map<Integer, String>> actual, Supplier<Map<Integer, String>> expected)
            throws Exception {
        await(WAIT, () -> expected.get().equals(actual.get()), () -> LookupITCase.difference(expected.get(), actual.get()), job);
    }
}
