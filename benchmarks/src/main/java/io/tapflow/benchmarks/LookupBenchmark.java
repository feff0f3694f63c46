package io.tapflow.benchmarks;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.Checkpoints;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.servers.Directories;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lookups (#16) into PostgreSQL jsonb, on real MariaDB and PostgreSQL started here, in one run: (a) the plain copy of
 * the orders table, then (b) the orders view (each order with its customer embedded and its items as an array), timed
 * from job start until PostgreSQL holds every order with all its items; the ratio (b)/(a) in orders per second, and
 * the size of the view job's first checkpoint after its snapshot (the lookup state, RocksDB, incremental). Then (c)
 * with the view job running, one customer who has exactly 1,000 orders is updated {@code fanouts} times: the time from
 * the update's commit until all 1,000 target rows show it (polled every 10 ms by primary-key range).
 *
 * <p>Settings ({@code --name=value}): orders (1000000), customers (100000), items (2000000), fanouts (20),
 * parallelism (1), timeoutMinutes (30), workDir (target/bench). Order i belongs to customer 1 for i ≤ 1,000, else to
 * one of the others; items are spread evenly over the orders.
 */
public final class LookupBenchmark {
    private static final int FAN_OUT_ORDERS = 1_000;
    private final BenchConfig config;
    private final int orders;
    private final int customers;
    private final int items;
    private final List<String> results = new ArrayList<>();
    private MariaDbServer mariaDb;
    private PostgresServer postgres;

    private LookupBenchmark(BenchConfig config) {
        this.config = config;
        this.orders = Math.max(config.integer("orders", 1_000_000), FAN_OUT_ORDERS + 1);
        this.customers = Math.max(config.integer("customers", 100_000), 2);
        this.items = config.integer("items", 2_000_000);
    }

    public static void main(String[] args) {
        BenchConfig config = BenchConfig.parse(args);
        Bench.header("LookupBenchmark", config);
        Bench.runAndExit(() -> new LookupBenchmark(config).run());
    }

    private void run() throws Exception {
        Path work = config.workDir();
        Files.createDirectories(work);
        try {
            Bench.log("starting MariaDB and PostgreSQL under " + work);
            mariaDb = MariaDbServer.start(work.resolve("mariadb"), true);
            Bench.tuneMariaDb(mariaDb, config.integer("bufferPoolMb", 1024));
            postgres = PostgresServer.start(work.resolve("postgres"));
            mariaDb.createDatabase(Bench.DATABASE);
            postgres.createDatabase(Bench.DATABASE);
            load();
            Bench.quiesce(mariaDb);
            DataSource mysql = Bench.mysqlSource(mariaDb);
            DataSource pg = Bench.postgresTarget(postgres);
            int parallelism = config.integer("parallelism", 1);
            long plainNanos = plainCopy(mysql, pg, parallelism);
            view(mysql, pg, parallelism, plainNanos);
            System.out.println();
            System.out.printf("== results (%,d orders, %,d customers, %,d items, parallelism %d) ==%n", orders, customers, items,
                    parallelism);
            results.forEach(System.out::println);
            System.out.println("load average at the end: " + Bench.loadAverage());
        } finally {
            Bench.log("stopping servers");
            Bench.closeQuietly(mariaDb, postgres);
            Directories.deleteRecursively(work.resolve("checkpoints"));
        }
    }

    private void load() throws SQLException {
        Bench.log(String.format("loading %,d customers, %,d orders, %,d items into MariaDB", customers, orders, items));
        try (Connection c = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(60), balance DECIMAL(12,2))");
            s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, note VARCHAR(60), amount DECIMAL(12,2), created DATETIME(3))");
            s.execute("CREATE TABLE order_items (item_id INT PRIMARY KEY, order_id INT, sku VARCHAR(20), qty INT, price DECIMAL(10,2))");
            c.setAutoCommit(false);
            insert(c, "INSERT INTO customer VALUES (?, ?, ?, ?)", customers, (ps, i) -> {
                ps.setInt(1, i);
                ps.setString(2, "customer " + i);
                ps.setString(3, "c" + i + "@example.com");
                ps.setBigDecimal(4, java.math.BigDecimal.valueOf(i % 100_000, 2));
            });
            insert(c, "INSERT INTO orders VALUES (?, ?, ?, ?, ?)", orders, (ps, i) -> {
                ps.setInt(1, i);
                ps.setInt(2, i <= FAN_OUT_ORDERS ? 1 : 2 + i % (customers - 1));
                ps.setString(3, "order note " + i);
                ps.setBigDecimal(4, java.math.BigDecimal.valueOf(i % 1_000_000, 2));
                ps.setTimestamp(5, new java.sql.Timestamp(1_700_000_000_000L + i * 1_000L));
            });
            insert(c, "INSERT INTO order_items VALUES (?, ?, ?, ?, ?)", items, (ps, i) -> {
                ps.setInt(1, i);
                ps.setInt(2, 1 + i % orders);
                ps.setString(3, "sku-" + i % 5_000);
                ps.setInt(4, 1 + i % 7);
                ps.setBigDecimal(5, java.math.BigDecimal.valueOf(i % 10_000, 2));
            });
            c.setAutoCommit(true);
        }
    }

    private interface Row {
        void set(PreparedStatement ps, int i) throws SQLException;
    }

    private static void insert(Connection c, String sql, int rows, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= rows; i++) {
                row.set(ps, i);
                ps.addBatch();
                if (i % 5_000 == 0 || i == rows) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }

    private long plainCopy(DataSource mysql, DataSource pg, int parallelism) throws Exception {
        Pipeline pipeline = Pipeline.named("bench-orders-plain").readFrom(mysql.table("orders"))
                .writeTo(pg.table("orders_plain")).parallelism(parallelism);
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            long start = System.nanoTime();
            try (RunningPipeline job = LocalPipelineRunner.start(plan, options("plain"))) {
                long done = Bench.await(timeoutMs(), 200, () -> Bench.queryLong(c, "SELECT count(*) FROM orders_plain") >= orders, job,
                        "the plain copy of the orders");
                record("(a) plain copy of orders", done - start);
                return done - start;
            }
        }
    }

    private void view(DataSource mysql, DataSource pg, int parallelism, long plainNanos) throws Exception {
        Pipeline pipeline = Pipeline.named("bench-orders-view").readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(pg.table("orders_view")).parallelism(parallelism);
        JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline, mysql, pg));
        try (Connection c = postgres.connect(Bench.DATABASE)) {
            long start = System.nanoTime();
            try (RunningPipeline job = LocalPipelineRunner.start(plan, options("view"))) {
                Bench.await(timeoutMs(), 200, () -> Bench.queryLong(c, "SELECT count(*) FROM orders_view") >= orders, job,
                        "every order in the view");
                // Each order is written once its snapshot row has met its items; later items rewrite it.
                long done = Bench.await(timeoutMs(), 200, () -> Bench.queryLong(c,
                        "SELECT coalesce(sum(jsonb_array_length(items)), 0) FROM orders_view") >= items, job, "every item in the view");
                long nanos = done - start;
                record("(b) orders view: customer object + items array (jsonb)", nanos);
                double ratio = (double) plainNanos / nanos;
                results.add(String.format("  view / plain copy: %.2fx in orders per second (aim >= 0.5: %s)", ratio,
                        ratio >= 0.5 ? "met" : "NOT met"));
                checkpointSize(job);
                fanOut(c, job);
            }
        }
    }

    private void checkpointSize(RunningPipeline job) throws Exception {
        Path dir = config.workDir().resolve("checkpoints").resolve("view");
        long after = System.currentTimeMillis();
        Bench.await(120_000, 500, () -> Checkpoints.latest(dir).map(p -> Checkpoints.completedAtMillis(p) > after).orElse(false),
                job, "a checkpoint after the snapshot");
        long bytes;
        try (Stream<Path> files = Files.walk(dir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        results.add(String.format("  checkpoint directory of the view job (lookup state, RocksDB incremental): %,.1f MB", bytes / 1e6));
    }

    private void fanOut(Connection pg, RunningPipeline job) throws Exception {
        int rounds = config.integer("fanouts", 20);
        long[] millis = new long[rounds];
        try (Connection src = mariaDb.connectAsAdmin(Bench.DATABASE); Statement s = src.createStatement()) {
            for (int r = 0; r < rounds; r++) {
                String name = "fan-out " + r;
                long start = System.nanoTime();
                s.execute("UPDATE customer SET name = '" + name + "' WHERE id = 1");
                long done = Bench.await(timeoutMs(), 10, () -> Bench.queryLong(pg, "SELECT count(*) FROM orders_view WHERE id <= "
                        + FAN_OUT_ORDERS + " AND customer->>'name' = '" + name + "'") == FAN_OUT_ORDERS, job, "the fan-out");
                millis[r] = (done - start) / 1_000_000;
            }
        }
        long[] sorted = Bench.sorted(millis);
        results.add(String.format("(c) one customer update fanned out to %,d orders, %d rounds: p50 %d ms, p99 %d ms, max %d ms"
                        + " (aim p99 < 1 s: %s)", FAN_OUT_ORDERS, rounds, Bench.percentile(sorted, 50), Bench.percentile(sorted, 99),
                sorted[sorted.length - 1], Bench.percentile(sorted, 99) < 1_000 ? "met" : "NOT met"));
    }

    private LocalRunOptions options(String name) {
        return new LocalRunOptions(config.workDir().resolve("checkpoints").resolve(name), -1, null, SinkOptions.DEFAULTS);
    }

    private long timeoutMs() {
        return config.integer("timeoutMinutes", 30) * 60_000L;
    }

    private void record(String name, long nanos) {
        double seconds = nanos / 1e9;
        String line = String.format("%-60s %8.1f s  %,10.0f orders/s", name, seconds, orders / seconds);
        results.add(line);
        Bench.log(line);
    }
}
