package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.udf.script.PipelineScripts;
import io.tapflow.udf.script.ScriptResult;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pipeline in the top-level {@code examples/} folder, as its file is, against the real MariaDB and PostgreSQL
 * and the MongoDB emulator: the snapshot of {@code examples/demo-tables.sql}, then a live change. The catalog holds
 * the datasources the examples name (demo-mysql, demo-pg, demo-mongo), pointing at this test's fresh databases.
 */
class ExamplesITCase {
    static final Path EXAMPLES = Path.of("..", "examples");
    private static final Duration SNAPSHOT = Duration.ofMinutes(3);
    private static final Duration CHANGE = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    private String db;
    private Map<String, DataSource> catalog;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.freshName("examples");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        DataSource mongo = TestDatabases.mongoTarget(db);
        catalog = Map.of("demo-mysql", new DataSource(mysql.type(), "demo-mysql", mysql.options()),
                "demo-pg", new DataSource(pg.type(), "demo-pg", pg.options()),
                "demo-mongo", new DataSource(mongo.type(), "demo-mongo", mongo.options()));
        String sql = Files.readString(EXAMPLES.resolve("demo-tables.sql")).lines().filter(l -> !l.startsWith("--"))
                .collect(Collectors.joining("\n"));
        TestDatabases.mysql(db, Arrays.stream(sql.split(";")).filter(s -> !s.isBlank()).toArray(String[]::new));
    }

    @Test
    void jsonPipeline() throws Exception {
        Path file = EXAMPLES.resolve("json/demo-job.json");
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        run(spec, () -> names("customer_v1").equals("1 Ada 10.5|2 Grace null|3 Linus 7"),
                () -> "customer_v1 holds " + PgRows.read(db, "customer_v1", "id"),
                "INSERT INTO customer VALUES (4, 'Joan', 1.00)",
                () -> names("customer_v1").equals("1 Ada 10.5|2 Grace null|3 Linus 7|4 Joan 1"));
        assertThat(PgRows.read(db, "customer_v1", "id")).allSatisfy(row -> assertThat(row.get("updated")).isNotNull());
    }

    /**
     * Tables selected by a pattern: orders and ecom_orders (not old_orders), each into its own table; new_orders,
     * created while the job runs, too (as the README says).
     */
    @Test
    void tablePatternPipeline() throws Exception {
        TestDatabases.mysql(db, "CREATE TABLE old_orders (id INT PRIMARY KEY)");
        Path file = EXAMPLES.resolve("json/orders-tables.json");
        String sources = Files.readString(file).lines().filter(l -> l.contains("\"sources\"")).findFirst().orElseThrow();
        assertThat(Files.readString(Path.of("..", "README.md"))).as("the README shows the example's sources").contains(sources.trim().replaceAll(",$", ""));
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        run(spec, () -> PgRows.tableExists(db, "copy_orders") && PgRows.read(db, "copy_orders", "id").size() == 2
                        && PgRows.read(db, "copy_ecom_orders", "order_id").size() == 6,
                () -> "copy_orders holds " + PgRows.read(db, "copy_orders", "id"),
                "INSERT INTO orders (id, item) VALUES (3, 'lamp');CREATE TABLE new_orders (id INT PRIMARY KEY, item VARCHAR(20))"
                        + ";INSERT INTO new_orders VALUES (1, 'desk')",
                () -> PgRows.read(db, "copy_orders", "id").size() == 3 && PgRows.tableExists(db, "copy_new_orders")
                        && PgRows.read(db, "copy_new_orders", "id").size() == 1);
        assertThat(PgRows.tableExists(db, "copy_old_orders")).isFalse();
    }

    /**
     * A union whose rows carry their source table (examples/json/orders-union.json): a TRUNCATE of one table deletes
     * only its rows, and the rows after it arrive (as the README's schema-change section says).
     */
    @Test
    void unionTruncateDeletesOnlyTheTruncatedTablesRows() throws Exception {
        // A union's tables need keys of their own: rows with one key are one target row.
        TestDatabases.mysql(db, "CREATE TABLE orders_archive LIKE orders",
                "INSERT INTO orders_archive SELECT id + 100, item, amount, status, carrier, purchase_ts, code, note FROM orders");
        Path file = EXAMPLES.resolve("json/orders-union.json");
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        Supplier<String> rows = () -> PgRows.read(db, "all_orders", "source_table, id").stream()
                .map(r -> r.get("source_table") + ":" + r.get("id")).collect(Collectors.joining("|"));
        run(spec, () -> PgRows.tableExists(db, "all_orders") && rows.get().equals(
                        db + ".orders:1|" + db + ".orders:2|" + db + ".orders_archive:101|" + db + ".orders_archive:102"), rows,
                "TRUNCATE TABLE orders_archive;INSERT INTO orders_archive (id, item) VALUES (7, 'lamp')",
                () -> rows.get().equals(db + ".orders:1|" + db + ".orders:2|" + db + ".orders_archive:7"));
    }

    /**
     * Per-kind schema-change overrides (examples/json/orders-evolve.json, shown in the README): under evolve a dropped
     * column stays in the target (drop_column lenient), a TRUNCATE leaves the target's rows (truncate ignore), and an
     * added column is added.
     */
    @Test
    void schemaChangeOverridesPipeline() throws Exception {
        Path file = EXAMPLES.resolve("json/orders-evolve.json");
        String settings = Files.readString(file).lines().filter(l -> l.contains("\"settings\"")).findFirst().orElseThrow();
        assertThat(Files.readString(Path.of("..", "README.md"))).as("the README shows the example's settings").contains(settings.trim());
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        Supplier<String> rows = () -> PgRows.read(db, "orders_evolve", "id").stream()
                .map(r -> r.get("id") + " " + r.get("note") + " " + r.get("gift")).collect(Collectors.joining("|"));
        run(spec, () -> PgRows.tableExists(db, "orders_evolve") && rows.get().equals("1 a null|2 b null"), rows,
                "ALTER TABLE orders DROP COLUMN note;INSERT INTO orders (id, item) VALUES (3, 'lamp');"
                        + "ALTER TABLE orders ADD COLUMN gift INT;INSERT INTO orders (id, item, gift) VALUES (4, 'desk', 1);"
                        + "TRUNCATE TABLE orders;INSERT INTO orders (id, item) VALUES (5, 'mug')",
                () -> rows.get().equals("1 a null|2 b null|3 null null|4 null 1|5 null null"));
    }

    @Test
    void javaPipeline() throws Exception {
        JobSpec spec = (JobSpec) compile("DemoJob").getMethod("job", DataSource.class, DataSource.class)
                .invoke(null, catalog.get("demo-mysql"), catalog.get("demo-mongo"));
        run(spec, () -> mongo("customer_v1", "id", "name").equals(Map.of("1", "Ada", "2", "Grace", "3", "Linus")),
                () -> "customer_v1 holds " + mongo("customer_v1", "id", "name"),
                "INSERT INTO customer VALUES (4, 'Joan', 1.00)",
                () -> mongo("customer_v1", "id", "name").size() == 4);
        assertThat(mongo("customer_v1", "id", "updated").values()).allSatisfy(v -> assertThat(v).isNotEqualTo("null"));
    }

    @Test
    void pythonTransformsScript() throws Exception {
        JobSpec spec = script("python/orders_clean.py").started().get(0);
        run(spec, () -> orders().equals("2 book 25.5 PAID 2024-01-03T11:00 42 51 b|read"),
                () -> "ods_orders holds " + PgRows.read(db, "ods_orders", "id"),
                // Order 4 (no item) comes first and is dropped by has_item: order 3 arriving means it was judged.
                "INSERT INTO orders VALUES (4, NULL, 40.00, 'N', 'dhl', '2024-01-04 12:00:00', '8', 'd'), "
                        + "(3, 'lamp', 30.00, 'N', 'dhl', '2024-01-04 12:00:00', '7', 'c')",
                () -> orders().equals("2 book 25.5 PAID 2024-01-03T11:00 42 51 b|read|3 lamp 30 NEW 2024-01-04T12:00 7 60 c|insert"));
        assertThat(PgRows.read(db, "ods_orders", "id").get(0)).doesNotContainKeys("carrier", "purchase_ts");
    }

    @Test
    void tapflowStyleScript() throws Exception {
        // The README shows this file as it is.
        assertThat(Files.readString(Path.of("..", "README.md")))
                .contains("```python\n" + Files.readString(EXAMPLES.resolve("python/tapflow_orders.py")) + "```\n");
        ScriptResult result = script("python/tapflow_orders.py");
        assertThat(result.notes()).singleElement().asString().contains("tapflow streams table ecom_orders filtered by"
                + " order_status <> 'canceled'");
        run(result.started().get(0),
                () -> mongo("orders", "order_id", "order_status").equals(Map.of("o1", "delivered", "o2", "invalid", "o4", "undeliverable")),
                () -> "orders holds " + mongo("orders", "order_id", "order_status"),
                "INSERT INTO ecom_orders VALUES ('o7', 'c5', 'shipped', '2024-03-01 00:00:00', NULL, NULL);"
                        + "UPDATE ecom_orders SET order_status = 'canceled' WHERE order_id = 'o1'",
                () -> mongo("orders", "order_id", "order_status").equals(Map.of("o2", "invalid", "o4", "undeliverable", "o7", "shipped")));
        assertThat(mongo("orders", "order_id", "purchase_timestamp")).doesNotContainValue("null");
        assertThat(mongo("orders", "order_id", "order_delivered_carrier_date")).containsOnlyKeys("o2", "o4", "o7")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo("null"));
    }

    @Test
    void querySnapshotScript() throws Exception {
        ScriptResult result = script("python/customer_orders.py");
        assertThat(result.notes()).singleElement().asString().contains("reads its result once (a snapshot-only read");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(result.started().get(0)),
                TestDatabases.runOptions(dir.resolve("cp")))) {
            job.awaitTermination();
        }
        assertThat(PgRows.read(db, "customer_orders", "customer_id")).extracting(r -> String.join(" ", r.get("customer_id"),
                r.get("orders"), String.valueOf(r.get("first_purchase")))).containsExactly("c0 1 2024-02-04T10:00",
                "c1 1 2024-01-02T10:00", "c2 1 2024-01-05T11:30", "c3 1 null", "c4 1 2024-02-03T09:00");
    }

    /**
     * TapFlow's union(): each branch's own js step runs on its table's rows only (the archive's items upper-cased,
     * the current orders' not), from the snapshot and from the change stream, into one MongoDB collection.
     */
    @Test
    void tapflowUnionScript() throws Exception {
        TestDatabases.mysql(db, "CREATE TABLE orders_archive LIKE orders",
                "INSERT INTO orders_archive SELECT id + 100, item, amount, status, carrier, purchase_ts, code, note FROM orders");
        JobSpec spec = script("python/tapflow_union.py").started().get(0);
        // TapFlow's tutorial keys the union by a field its js adds; tapflow's key names source columns.
        assertThatThrownBy(() -> JobPlanner.plan(PipelineValidator.validate(spec.pipeline().key("id", "FROM"), catalog)))
                .hasMessageContaining("key field 'FROM' is not a column of " + db + ".orders; columns: id, item, amount, "
                        + "status, carrier, purchase_ts, code, note (the key names columns of the source table: a field a "
                        + "step adds cannot be part of it yet)");
        Supplier<String> rows = () -> mongo("orders_all", "id", "FROM") + " " + mongo("orders_all", "id", "item");
        run(spec, () -> rows.get().equals("{1=current, 101=archive, 102=archive, 2=current} {1=pen, 101=PEN, 102=BOOK, 2=book}"),
                rows, "INSERT INTO orders_archive (id, item) VALUES (103, 'cup');UPDATE orders SET item = 'pencil' WHERE id = 1",
                () -> rows.get().equals("{1=current, 101=archive, 102=archive, 103=archive, 2=current} "
                        + "{1=pencil, 101=PEN, 102=BOOK, 103=CUP, 2=book}"));
        assertThat(mongo("orders_all", "id", "carrier").values()).containsOnly("null");
    }

    /** TapFlow's Source/Sink with table lists, filterType and rowFilter, add_field in TapFlow's order, include_cdc. */
    @Test
    void tapflowSourceSinkScript() throws Exception {
        JobSpec spec = script("python/tapflow_sources.py").started().get(0);
        run(spec, () -> PgRows.tableExists(db, "orders") && copied("customer").equals("2 tapflow|3 tapflow")
                        && copied("orders").equals("2 tapflow"),
                () -> "customer holds " + PgRows.read(db, "customer", "id") + ", orders " + PgRows.read(db, "orders", "id"),
                "INSERT INTO customer VALUES (4, 'Joan', 1.00);INSERT INTO orders (id, item) VALUES (3, 'lamp')",
                () -> copied("customer").equals("2 tapflow|3 tapflow|4 tapflow") && copied("orders").equals("2 tapflow|3 tapflow"));
        assertThat(PgRows.read(db, "customer", "id")).extracting(r -> r.get("name")).containsExactly("Grace", "Linus", "Joan");
    }

    /** TapFlow's field type names and write_to(..., pk=[...]): documents keyed by name, typed values. */
    @Test
    void tapflowTypedFieldsScript() throws Exception {
        JobSpec spec = script("python/tapflow_typed_fields.py").started().get(0);
        assertThat(spec.pipeline().target().key()).containsExactly("name");
        run(spec, () -> mongo("customer_typed", "name", "balance_x2").equals(Map.of("Ada", "21", "Linus", "14")),
                () -> "customer_typed holds " + mongo("customer_typed", "name", "balance_x2"),
                "INSERT INTO customer VALUES (4, 'Joan', 1.25);UPDATE customer SET balance = NULL WHERE id = 1",
                () -> mongo("customer_typed", "name", "balance_x2").equals(Map.of("Linus", "14", "Joan", "2.5")));
        assertThat(mongo("customer_typed", "name", "name_length")).isEqualTo(Map.of("Linus", "5", "Joan", "4"));
        assertThat(mongo("customer_typed", "name", "origin")).isEqualTo(Map.of("Linus", "mariadb", "Joan", "mariadb"));
    }

    @Test
    void javaScriptScript() throws Exception {
        JobSpec spec = script("javascript/customers.js").started().get(0);
        run(spec, () -> names("customer_js").equals("1 ADA 10.5|3 LINUS 7"),
                () -> "customer_js holds " + PgRows.read(db, "customer_js", "id"),
                "INSERT INTO customer VALUES (4, 'Joan', 1.00)",
                () -> names("customer_js").equals("1 ADA 10.5|3 LINUS 7|4 JOAN 1"));
        assertThat(PgRows.read(db, "customer_js", "id")).allSatisfy(row -> assertThat(row.get("origin")).isEqualTo("mariadb"));
    }

    @Test
    void verifiedPipeline() throws Exception {
        Path file = EXAMPLES.resolve("json/verify-orders.json");
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        assertThat(spec.pipeline().settings().verifySamplePerSecond()).as("the job verifies itself as it runs").isEqualTo(10);
        run(spec, () -> PgRows.read(db, "orders_copy", "id").size() == 2, () -> "orders_copy holds " + PgRows.read(db, "orders_copy", "id"),
                "UPDATE orders SET note = 'changed' WHERE id = 2", () -> PgRows.read(db, "orders_copy", "id").stream()
                        .anyMatch(r -> "CHANGED".equals(r.get("remark"))));
        io.tapflow.flink.verify.VerifyReport report = io.tapflow.flink.verify.Verifier.verify(spec,
                io.tapflow.flink.verify.VerifyOptions.rows());
        assertThat(report.equal()).as("%s", report).isTrue();
        assertThat(report.tables().get(0).matched()).isEqualTo(2);
    }

    /**
     * The data API example over the table the JSON example keeps fresh: an update in MariaDB must be visible through
     * {@code GET /api/customers/<id>} within a second, measured from the commit to the first response that shows it.
     */
    @Test
    void pythonDataApiShowsAnUpdateWithinASecond() throws Exception {
        Path file = EXAMPLES.resolve("json/demo-job.json");
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        ScriptResult apis = script("python/customers_api.py");
        assertThat(apis.publishedApis()).extracting(io.tapflow.dsl.api.Api::name).containsExactly("customers");
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(dir.resolve("cp")));
             io.tapflow.api.Backends backends = new io.tapflow.api.Backends(5)) {
            await(SNAPSHOT, () -> names("customer_v1").startsWith("1 Ada"), () -> names("customer_v1"), job);
            io.tapflow.api.ApiKeys keys = new io.tapflow.api.ApiKeys(dir);
            String key = keys.create(java.util.List.of("customers"), 1000, 1000).secret();
            var published = new io.tapflow.api.ApiPublisher(catalog, backends).check(apis.publishedApis().get(0));
            try (io.tapflow.api.ApiServer server = new io.tapflow.api.ApiServer(java.util.List.of(published), keys).start("127.0.0.1", 0)) {
                DataApiClient api = new DataApiClient(server.port(), key);
                assertThat(api.get("/api/customers?min_balance=7&order=balance.desc")).contains("\"name\":\"Ada\"");
                java.util.concurrent.BlockingQueue<DataApiClient.Line> stream = api.stream("/api/customers/changes");
                assertThat(stream.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("the stream's opening comment").isNotNull();
                java.util.List<Long> latencies = new java.util.ArrayList<>();
                java.util.List<Long> streamLatencies = new java.util.ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    String balance = "20" + i + ".25";
                    TestDatabases.mysql(db, "UPDATE customer SET balance = " + balance + " WHERE id = 1");
                    long committed = System.nanoTime();
                    // Polled every 5 ms (not await's 200 ms), so that the latency measured is the data's, not the poll's.
                    long deadline = committed + CHANGE.toNanos();
                    while (!api.get("/api/customers/1").contains("\"balance\":" + balance) && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    latencies.add((System.nanoTime() - committed) / 1_000_000);
                    assertThat(api.get("/api/customers/1")).as("after %s", CHANGE).contains("\"balance\":" + balance);
                    streamLatencies.add(DataApiClient.awaitLine(stream, "\"balance\":" + balance, CHANGE) - committed / 1_000_000);
                }
                System.out.println("data API freshness (MariaDB commit -> visible through GET /api/customers/1), ms: " + latencies);
                System.out.println("data API freshness (MariaDB commit -> event on GET /api/customers/changes), ms: " + streamLatencies);
                assertThat(latencies).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
                assertThat(streamLatencies).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
            }
        }
    }

    /**
     * The lookup examples need the lookup engine (issue #16, flink-jobs): the Python one (TapFlow's words) and the Java
     * one define the same pipeline, each order a MongoDB document embedding its customer and its items, each item its
     * product. A change to a product reaches every order whose items hold it.
     */
    @Test
    void tapflowStyleLookupScript() throws Exception {
        assertThat(Files.readString(Path.of("..", "README.md"))).as("the README shows the example as it is")
                .contains("```python\n" + Files.readString(EXAMPLES.resolve("python/orders_view.py")) + "```\n");
        run(script("python/orders_view.py").started().get(0),
                () -> ordersView().equals(Map.of("o1", "Lisbon|books,lamps", "o2", "Porto|books", "o3", "Lisbon|",
                        "o4", "Faro|", "o5", "Braga|", "o6", "null|")),
                () -> "orders_view holds " + ordersView(),
                "UPDATE ecom_products SET product_category = 'novels' WHERE product_id = 'p1'",
                () -> ordersView().get("o1").equals("Lisbon|novels,lamps") && ordersView().get("o2").equals("Porto|novels"));
    }

    @Test
    void javaLookupPipeline() throws Exception {
        JobSpec spec = (JobSpec) compile("OrdersView").getMethod("job", DataSource.class, DataSource.class)
                .invoke(null, catalog.get("demo-mysql"), catalog.get("demo-mongo"));
        run(spec, () -> ordersView().size() == 6 && ordersView().get("o1").equals("Lisbon|books,lamps"),
                () -> "orders_view holds " + ordersView(),
                "UPDATE ecom_customers SET customer_city = 'Sintra' WHERE customer_id = 'c1'",
                () -> ordersView().get("o1").equals("Sintra|books,lamps") && ordersView().get("o3").equals("Sintra|"));
    }

    /** A wide table in PostgreSQL: the customer flattened into columns, the items as a jsonb array ordered by item. */
    @Test
    void jsonLookupPipeline() throws Exception {
        Path file = EXAMPLES.resolve("json/orders-wide.json");
        JobSpec spec = PipelineValidator.validate(DefinitionJson.pipeline(Files.readString(file), file.toString()), catalog);
        run(spec, () -> PgRows.tableExists(db, "orders_wide") && wide().equals(
                        "o1 Lisbon p1,p2|o2 Porto p1|o3 Lisbon |o4 Faro |o5 Braga |o6 null "),
                () -> "orders_wide holds " + PgRows.read(db, "orders_wide", "order_id"),
                "INSERT INTO ecom_order_items VALUES ('o4', 1, 'p2', 5.00)",
                () -> wide().contains("o4 Faro p2|"));
    }

    /** order_id → "customer city|product categories of its items, in item order" of each orders_view document. */
    private Map<String, String> ordersView() {
        Map<String, String> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(io.tapflow.servers.SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection("orders_view").find()) {
                Document customer = d.get("customer", Document.class);
                java.util.List<Document> items = d.getList("items", Document.class, java.util.List.of());
                out.put(d.getString("order_id"), (customer == null ? "null" : customer.getString("customer_city")) + "|"
                        + items.stream().map(i -> i.get("product", Document.class))
                        // An item may be embedded before its product is: the product is then null for a moment.
                        .map(product -> product == null ? "null" : product.getString("product_category"))
                        .collect(Collectors.joining(",")));
            }
        }
        return out;
    }

    /** "order_id customer_city product_ids" of each orders_wide row, products in the order the items array holds them. */
    private String wide() {
        return PgRows.read(db, "orders_wide", "order_id").stream().map(r -> r.get("order_id") + " " + r.get("customer_customer_city")
                + " " + java.util.regex.Pattern.compile("\"product_id\": ?\"(p\\d+)\"").matcher(String.valueOf(r.get("items")))
                .results().map(m -> m.group(1)).collect(Collectors.joining(","))).collect(Collectors.joining("|"));
    }

    /** The class of examples/java/{name}.java, compiled against the test's class path. */
    private Class<?> compile(String name) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                EXAMPLES.resolve("java/" + name + ".java").toString());
        assertThat(rc).as(errors.toString()).isZero();
        // Loaded classes stay usable after the loader closes; the job's spec is all the test needs from it.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            return loader.loadClass(name);
        }
    }

    private ScriptResult script(String name) {
        return PipelineScripts.run(EXAMPLES.resolve(name), catalog);
    }

    /** Runs the pipeline until the snapshot is in, makes the change (statements split at ';'), waits for it to arrive. */
    private void run(JobSpec spec, BooleanSupplier snapshot, Supplier<String> state, String change, BooleanSupplier changed)
            throws Exception {
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(dir.resolve("cp")))) {
            await(SNAPSHOT, snapshot, state, job);
            TestDatabases.mysql(db, change.split(";"));
            await(CHANGE, changed, state, job);
        }
    }

    /** "id name balance" of each row of a PostgreSQL customer table, joined with '|'. */
    private String names(String table) {
        return PgRows.read(db, table, "id").stream().map(r -> r.get("id") + " " + r.get("name") + " " + r.get("balance"))
                .collect(Collectors.joining("|"));
    }

    /** "id copied_by" of each row of a PostgreSQL table, joined with '|'. */
    private String copied(String table) {
        return PgRows.read(db, table, "id").stream().map(r -> r.get("id") + " " + r.get("copied_by")).collect(Collectors.joining("|"));
    }

    private String orders() {
        return PgRows.read(db, "ods_orders", "id").stream().map(r -> String.join(" ", r.get("id"), r.get("item"), r.get("amount"),
                r.get("status"), r.get("purchased"), r.get("code"), r.get("amount_x2"), r.get("note"))).collect(Collectors.joining("|"));
    }

    /** key field → another field (as text, "null" when absent) of every document of a MongoDB collection. */
    private Map<String, String> mongo(String collection, String key, String field) {
        Map<String, String> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(io.tapflow.servers.SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection(collection).find()) {
                out.put(String.valueOf(d.get(key)), String.valueOf(d.get(field)));
            }
        }
        return out;
    }
}
