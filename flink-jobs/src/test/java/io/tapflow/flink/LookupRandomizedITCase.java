package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.FlinkJobConfig;
import io.tapflow.flink.job.JobTranslator;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random inserts, updates (join key changes and NULL join keys included) and deletes across orders, customer and
 * order_items in MariaDB while an orders view (customer embedded, items as an array) is written into PostgreSQL jsonb
 * at parallelism 2 on a cluster of two TaskManagers; half-way one TaskManager is terminated while the changes go on,
 * a new one joins a little later, and the job restores itself from its last checkpoint (the lookup state with it)
 * through its restart strategy, with no one restarting it. At the end the target equals the SQL join of the source, order by order. The seed is
 * printed; {@code -Dtapflow.test.seed=N} replays one.
 */
class LookupRandomizedITCase {
    private static final int CHANGES = 3_000;

    @TempDir
    Path checkpoints;

    @Test
    void targetEqualsTheSqlJoinAfterRandomChangesAndATaskManagerLoss() throws Exception {
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
        Configuration conf = FlinkJobConfig.forPipeline(pipeline.settings(), checkpoints);
        // One slot per TaskManager and parallelism 2: the job runs on both, so losing one fails tasks of the job.
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(2).setNumSlotsPerTaskManager(1).build());
        cluster.start();
        try {
            StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, conf, 2, List.of(), List.of());
            JobTranslator.translate(env, plan, SinkOptions.DEFAULTS);
            JobClient job = env.executeAsync(pipeline.name());
            BooleanSupplier running = () -> !status(cluster, job).isGloballyTerminalState();
            await(Duration.ofMinutes(3), () -> !OrderViews.fromPostgresJson(db, "orders_view").isEmpty(), running, () -> "no rows yet");
            writer.start();
            await(Duration.ofMinutes(2), () -> done.get() >= CHANGES / 2, running, () -> done.get() + " changes made");
            long half = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> Checkpoints.latest(checkpoints).map(p -> Checkpoints.completedAtMillis(p) > half)
                    .orElse(false), running, () -> "no checkpoint after half of the changes");
            // The TaskManager goes away with its tasks and their state; the job cannot run on the one left (one slot)
            // until a new TaskManager joins, then its restart strategy restores it from the last checkpoint.
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            await(Duration.ofSeconds(30), () -> status(cluster, job) != JobStatus.RUNNING || restartedAt(cluster, job) > 0,
                    running, () -> "the job did not notice the lost TaskManager");
            Thread.sleep(2_000);
            cluster.startTaskManager();
            writer.join();
            assertThat(failure.get()).isNull();
            await(Duration.ofMinutes(3), () -> OrderViews.expected(db).equals(OrderViews.fromPostgresJson(db, "orders_view")), running,
                    () -> "seed " + seed + ": " + LookupITCase.difference(OrderViews.expected(db), OrderViews.fromPostgresJson(db, "orders_view")));
            assertThat(restartedAt(cluster, job)).as("the job restarted after losing a TaskManager").isPositive();
            assertThat(status(cluster, job)).isEqualTo(JobStatus.RUNNING);
            job.cancel().get(30, TimeUnit.SECONDS);
        } finally {
            writer.join();
            cluster.close();
        }
        System.out.println("LookupRandomizedITCase seed " + seed + ": " + OrderViews.expected(db).size() + " orders equal the join");
    }

    private static JobStatus status(MiniCluster cluster, JobClient job) {
        try {
            return cluster.getJobStatus(job.getJobID()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** When the job last switched to RESTARTING; 0 if never. */
    private static long restartedAt(MiniCluster cluster, JobClient job) {
        try {
            return cluster.getExecutionGraph(job.getJobID()).get(10, TimeUnit.SECONDS).getStatusTimestamp(JobStatus.RESTARTING);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the condition; fails at once when the job has ended (it should restart, never end). */
    private static void await(Duration timeout, BooleanSupplier condition, BooleanSupplier running, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(running.getAsBoolean()).as("the job ended; " + state.get()).isTrue();
            assertThat(System.nanoTime() < deadline).as("timed out: " + state.get()).isTrue();
            Thread.sleep(200);
        }
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
