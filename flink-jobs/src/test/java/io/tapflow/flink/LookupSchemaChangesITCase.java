package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.flatten;
import static io.tapflow.dsl.Lookups.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column changes of looked-up tables under each schema-change policy, MariaDB into PostgreSQL (jsonb columns, the
 * customer also flattened into c_* columns) and into MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real
 * mongod). While the orders view runs, customer gains a column (email) and order_items loses one (qty); then every
 * customer and item changes, so every order is written again with rows of the new shape.
 */
class LookupSchemaChangesITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CHANGES = {
        "ALTER TABLE customer ADD COLUMN email VARCHAR(40)", "UPDATE customer SET email = CONCAT(name, '@x')",
        "ALTER TABLE order_items DROP COLUMN qty", "UPDATE order_items SET price = price + 1"};

    @TempDir
    Path checkpoints;

    @Test
    void evolveAddsTheNewFieldAndColumnAndDropsTheOldFieldInPostgres() throws Exception {
        String db = TestDatabases.freshName("lksch_evo");
        DataSource pg = TestDatabases.postgresTarget(db);
        run(db, pg, "evolve", () -> itemsRepriced(postgres(db)));
        Map<Integer, JsonNode> orders = postgres(db);
        assertThat(orders.get(1).path("customer").path("email").asText()).isEqualTo("Ada@x");
        assertThat(orders.get(1).path("c_email").asText()).isEqualTo("Ada@x");
        assertThat(orders.get(2).path("c_email").asText()).isEqualTo("Bob@x");
        assertThat(orders.get(1).path("items").get(0).has("qty")).isFalse();
        assertThat(orders.get(1).path("items").get(1).path("price").asText()).isEqualTo("3.50");
    }

    @Test
    void lenientAddsTheNewFieldAndKeepsTheDroppedOneAsNullInPostgres() throws Exception {
        String db = TestDatabases.freshName("lksch_len");
        DataSource pg = TestDatabases.postgresTarget(db);
        run(db, pg, "lenient", () -> itemsRepriced(postgres(db)));
        Map<Integer, JsonNode> orders = postgres(db);
        assertThat(orders.get(2).path("customer").path("email").asText()).isEqualTo("Bob@x");
        assertThat(orders.get(2).path("c_email").asText()).isEqualTo("Bob@x");
        JsonNode item = orders.get(2).path("items").get(0);
        assertThat(item.has("qty") && item.get("qty").isNull()).as(item.toString()).isTrue();
        assertThat(item.path("price").asText()).isEqualTo("4.00");
    }

    @Test
    void evolveInMongo() throws Exception {
        String db = TestDatabases.freshName("lksch_mevo");
        DataSource mongo = TestDatabases.mongoTarget(db);
        run(db, mongo, "evolve", () -> itemsRepriced(mongo(db)));
        Map<Integer, JsonNode> orders = mongo(db);
        assertThat(orders.get(1).path("customer").path("email").asText()).isEqualTo("Ada@x");
        assertThat(orders.get(1).path("c_email").asText()).isEqualTo("Ada@x");
        assertThat(orders.get(1).path("items").get(0).has("qty")).isFalse();
    }

    @Test
    void ignoreEmbedsNoNewFieldAndKeepsTheDroppedOneAsNullInMongo() throws Exception {
        String db = TestDatabases.freshName("lksch_mign");
        DataSource mongo = TestDatabases.mongoTarget(db);
        run(db, mongo, "ignore", () -> itemsRepriced(mongo(db)));
        Map<Integer, JsonNode> orders = mongo(db);
        assertThat(orders.get(1).path("customer").has("email")).isFalse();
        assertThat(orders.get(1).has("c_email")).isFalse();
        JsonNode item = orders.get(1).path("items").get(0);
        assertThat(item.has("qty") && item.get("qty").isNull()).as(item.toString()).isTrue();
    }

    /**
     * The pipeline's own (parent) table changes under evolve: its renamed column is renamed in the target, its dropped
     * one dropped, as in a pipeline without lookups.
     */
    @Test
    void evolveRenamesAndDropsTheParentsColumnsInPostgres() throws Exception {
        String db = TestDatabases.freshName("lksch_par");
        try (RunningPipeline job = startInPostgres(db, "evolve", null)) {
            TestDatabases.mysql(db, "ALTER TABLE orders RENAME COLUMN note TO remark", "UPDATE orders SET remark = CONCAT(remark, '!')");
            TestDatabases.await(Duration.ofMinutes(2), () -> postgres(db).get(2).path("remark").asText().equals("b!"),
                    () -> "orders " + postgres(db), job);
            assertThat(postgres(db).get(1).has("note")).as("the old column is gone").isFalse();
            assertThat(postgres(db).get(1).path("remark").asText()).isEqualTo("a!");
            TestDatabases.mysql(db, "ALTER TABLE orders DROP COLUMN remark", "INSERT INTO orders VALUES (3, 1)");
            TestDatabases.await(Duration.ofMinutes(2), () -> postgres(db).size() == 3 && !postgres(db).get(1).has("remark"),
                    () -> "orders " + postgres(db), job);
            assertThat(postgres(db).get(3).path("customer").path("name").asText()).isEqualTo("Ada");
        }
    }

    /**
     * What the job knows of a looked-up table is in its state: restored from a savepoint taken after order_items lost
     * qty under lenient, the job still embeds qty (null), though planning the restored run reads the table without it.
     */
    @Test
    void lenientKeepsALookedUpColumnDroppedBeforeASavepoint() throws Exception {
        String db = TestDatabases.freshName("lksch_sp");
        Path savepoint;
        try (RunningPipeline job = startInPostgres(db, "lenient", null)) {
            TestDatabases.mysql(db, "ALTER TABLE order_items DROP COLUMN qty", "UPDATE order_items SET price = price + 1");
            TestDatabases.await(Duration.ofMinutes(2), () -> itemsRepriced(postgres(db)), () -> "orders " + postgres(db), job);
            savepoint = job.stopWithSavepoint(checkpoints.resolve("savepoints"), Duration.ofMinutes(1));
        }
        try (RunningPipeline job = startInPostgres(db, "lenient", savepoint)) {
            TestDatabases.mysql(db, "UPDATE order_items SET price = 9 WHERE item_id = 3");
            TestDatabases.await(Duration.ofMinutes(2), () -> postgres(db).get(2).path("items").get(0).path("price").asText().equals("9.00"),
                    () -> "orders " + postgres(db), job);
        }
        JsonNode item = postgres(db).get(2).path("items").get(0);
        assertThat(item.has("qty") && item.get("qty").isNull()).as(item.toString()).isTrue();
    }

    @Test
    void failStopsTheJobNamingTheChange() throws Exception {
        String db = TestDatabases.freshName("lksch_fail");
        try (RunningPipeline job = startInPostgres(db, "fail", null)) {
            TestDatabases.mysql(db, CHANGES);
            assertThatThrownBy(() -> TestDatabases.await(Duration.ofMinutes(1), () -> false, () -> "the job did not stop", job))
                    .hasMessageContaining("schema change on " + db + ".customer (looked up): "
                    + "ADD COLUMN email varchar(40); the pipeline's schema-change policy is fail, so the job stops");
        }
    }

    /** A TRUNCATE of a looked-up table is a schema change like the others: under fail the job stops, naming it. */
    @Test
    void failStopsTheJobOnATruncateOfALookedUpTable() throws Exception {
        String db = TestDatabases.freshName("lksch_trunc");
        try (RunningPipeline job = startInPostgres(db, "fail", null)) {
            TestDatabases.mysql(db, "TRUNCATE TABLE order_items");
            assertThatThrownBy(() -> TestDatabases.await(Duration.ofMinutes(1), () -> false, () -> "the job did not stop", job))
                    .hasMessageContaining("schema change on " + db + ".order_items (looked up): TRUNCATE; the pipeline's "
                    + "schema-change policy is fail, so the job stops");
        }
    }

    /** Starts the orders view into PostgreSQL, from a savepoint when one is given, once both orders are there. */
    private RunningPipeline startInPostgres(String db, String policy, Path savepoint) throws Exception {
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        if (savepoint == null) {
            setUp(db);
        }
        var options = TestDatabases.runOptions(checkpoints);
        RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(view(mysql, pg, policy), mysql, pg)),
                savepoint == null ? options : options.withRestoreFrom(savepoint));
        try {
            TestDatabases.await(Duration.ofMinutes(2), () -> postgres(db).size() == 2, () -> "orders " + postgres(db).keySet(), job);
        } catch (Exception | AssertionError e) {
            job.close();
            throw e;
        }
        return job;
    }

    private void run(String db, DataSource target, String policy, BooleanSupplier changed) throws Exception {
        DataSource mysql = TestDatabases.mysqlSource(db);
        setUp(db);
        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(view(mysql, target, policy), mysql, target)),
                TestDatabases.runOptions(checkpoints))) {
            TestDatabases.await(Duration.ofMinutes(2), () -> read(target, db).size() == 2, () -> "orders " + read(target, db), job);
            TestDatabases.mysql(db, CHANGES);
            TestDatabases.await(Duration.ofMinutes(2), changed, () -> "orders " + read(target, db), job);
        }
    }

    private static Map<Integer, JsonNode> read(DataSource target, String db) {
        return target.type().equals("mongodb") ? mongo(db) : postgres(db);
    }

    private static void setUp(String db) throws Exception {
        TestDatabases.mysql(db, OrderViews.TABLES);
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Bob', 2.00)",
                "INSERT INTO orders VALUES (1, 1, 'a'), (2, 2, 'b')",
                "INSERT INTO order_items VALUES (1, 1, 1, 1.00), (2, 1, 2, 2.50), (3, 2, 3, 3.00)");
    }

    private static Pipeline view(DataSource mysql, DataSource target, String policy) {
        return Pipeline.named("lookup-schema-" + policy).readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), flatten("c_"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .writeTo(target.table("orders_view")).schemaChanges(policy).checkpointInterval(Duration.ofSeconds(1));
    }

    /** Every item's price went up by one: the last statement of {@link #CHANGES} reached every order. */
    private static boolean itemsRepriced(Map<Integer, JsonNode> orders) {
        return orders.size() == 2 && orders.get(1).path("items").size() == 2
                && new java.math.BigDecimal(orders.get(1).path("items").get(1).path("price").asText()).compareTo(new java.math.BigDecimal("3.5")) == 0
                && new java.math.BigDecimal(orders.get(2).path("items").get(0).path("price").asText()).compareTo(new java.math.BigDecimal("4")) == 0;
    }

    /** Each order row as JSON: its columns, customer and items parsed. */
    private static Map<Integer, JsonNode> postgres(String db) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        try {
            for (Map<String, String> row : PgRows.read(db, "orders_view", "id")) {
                var node = JSON.createObjectNode();
                for (Map.Entry<String, String> column : row.entrySet()) {
                    boolean json = column.getKey().equals("customer") || column.getKey().equals("items");
                    node.set(column.getKey(), column.getValue() == null ? JSON.nullNode()
                            : json ? JSON.readTree(column.getValue()) : JSON.getNodeFactory().textNode(column.getValue()));
                }
                out.put(Integer.parseInt(row.get("id")), node);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Each order document as JSON (relaxed: Decimal128 as {"$numberDecimal": "..."} becomes its text). */
    private static Map<Integer, JsonNode> mongo(String db) {
        Map<Integer, JsonNode> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection("orders_view").find()) {
                String json = d.toJson().replaceAll("\\{\"\\$numberDecimal\": (\"[^\"]*\")}", "$1");
                out.put(d.getInteger("id"), JSON.readTree(json));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
