package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random inserts, updates (join key changes and NULL join keys included) and deletes across orders, customer and
 * order_items in MariaDB while an orders view (customer embedded, items as an array) is written into PostgreSQL jsonb
 * at parallelism 2; half-way the job is stopped hard and restored from its last checkpoint (the lookup state with
 * it) while the changes go on. At the end the target equals the SQL join of the source, order by order. The seed is
 * printed; {@code -Dtapflow.test.seed=N} replays one.
 */
class LookupRandomizedITCase {
    private static final int CHANGES = 3_000;

    @TempDir
    Path checkpoints;

    @Test
    void targetEqualsTheSqlJoinAfterRandomChangesAndARestore() throws Exception {
        long seed = Long.getLong("tapflow.test.seed", System.nanoTime());
        System.out.println("LookupRandomizedITCase seed " + seed + " (replay with -Dtapflow.test.seed=" + seed + ")");
        Random random = new Random(seed);
        String db = TestDatabases.freshName("lookup_rnd");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        TestDatabases.mysql(db, OrderViews.TABLES);
        try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement()) {
            for (int i = 0; i < 1_000; i++) {
                s.execute(randomChange(random));
            }
        }
        Pipeline pipeline = Pipeline.named("orders-random").readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(pg.table("orders_view")).parallelism(2).checkpointInterval(Duration.ofMillis(500));
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));

        AtomicInteger done = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Connection c = SharedServers.mariaDb().connectAsAdmin(db); Statement s = c.createStatement()) {
                for (int i = 0; i < CHANGES; i++) {
                    s.execute(randomChange(random));
                    done.incrementAndGet();
                    Thread.sleep(4);
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }, "random-changes");
        try (RunningPipeline first = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(3), () -> !OrderViews.fromPostgresJson(db, "orders_view").isEmpty(), () -> "no rows yet", first);
            writer.start();
            await(Duration.ofMinutes(2), () -> done.get() >= CHANGES / 2, () -> done.get() + " changes made", first);
            long half = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints).map(p -> Checkpoints.completedAtMillis(p) > half)
                    .orElse(false), () -> "no checkpoint after half of the changes", first);
            first.cancel(Duration.ofSeconds(30));
        }
        Path checkpoint = Checkpoints.latest(checkpoints).orElseThrow();
        try (RunningPipeline second = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints).withRestoreFrom(checkpoint))) {
            writer.join();
            assertThat(failure.get()).isNull();
            await(Duration.ofMinutes(3), () -> OrderViews.expected(db).equals(OrderViews.fromPostgresJson(db, "orders_view")),
                    () -> "seed " + seed + ": " + LookupITCase.difference(OrderViews.expected(db), OrderViews.fromPostgresJson(db, "orders_view")),
                    second);
        }
        System.out.println("LookupRandomizedITCase seed " + seed + ": " + OrderViews.expected(db).size() + " orders equal the join");
    }

    /** One random change; ids from small ranges so that rows meet, move, vanish and come back. */
    private static String randomChange(Random r) {
        int customer = 1 + r.nextInt(60);
        int order = 1 + r.nextInt(300);
        int item = 1 + r.nextInt(900);
        String customerRef = r.nextInt(10) == 0 ? "NULL" : String.valueOf(1 + r.nextInt(65));
        String orderRef = r.nextInt(10) == 0 ? "NULL" : String.valueOf(1 + r.nextInt(310));
        String money = r.nextInt(100_000) / 100 + "." + String.format("%02d", r.nextInt(100));
        return switch (r.nextInt(12)) {
            case 0 -> "INSERT IGNORE INTO customer VALUES (" + customer + ", 'c" + r.nextInt(1000) + "', " + money + ")";
            case 1 -> "UPDATE customer SET name = 'c" + r.nextInt(1000) + "', balance = " + money + " WHERE id = " + customer;
            case 2 -> "DELETE FROM customer WHERE id = " + customer;
            case 3, 4 -> "INSERT IGNORE INTO orders VALUES (" + order + ", " + customerRef + ", 'n" + r.nextInt(1000) + "')";
            case 5 -> "UPDATE orders SET note = 'n" + r.nextInt(1000) + "' WHERE id = " + order;
            case 6 -> "UPDATE orders SET customer_id = " + customerRef + " WHERE id = " + order;
            case 7 -> "DELETE FROM orders WHERE id = " + order;
            case 8, 9 -> "INSERT IGNORE INTO order_items VALUES (" + item + ", " + orderRef + ", " + r.nextInt(9) + ", " + money + ")";
            case 10 -> r.nextBoolean() ? "UPDATE order_items SET order_id = " + orderRef + " WHERE item_id = " + item
                    : "UPDATE order_items SET qty = " + r.nextInt(9) + ", price = " + money + " WHERE item_id = " + item;
            default -> "DELETE FROM order_items WHERE item_id = " + item;
        };
    }
}
