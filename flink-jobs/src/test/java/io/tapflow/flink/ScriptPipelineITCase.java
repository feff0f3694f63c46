package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.tapflow.dsl.JobSpec;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.MariaDbServer;
import io.tapflow.servers.SharedServers;
import io.tapflow.udf.script.PipelineScripts;
import io.tapflow.udf.script.ScriptResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TapFlow's README example, as printed in README.md (only the server addresses replaced): MariaDB orders, exclude,
 * rename_fields, a Python UDF, into MongoDB (the emulator unless TAPFLOW_TEST_MONGO_URI names a real mongod); snapshot, then an insert, an update
 * and a delete.
 */
class ScriptPipelineITCase {
    @TempDir
    Path dir;

    @Test
    void tapflowReadmeExampleRunsAsAScript() throws Exception {
        String db = TestDatabases.freshName("tapflow_readme");
        TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE ecom_orders (order_id VARCHAR(32) PRIMARY KEY, order_status VARCHAR(20), "
                        + "order_purchase_timestamp DATETIME, order_delivered_carrier_date DATETIME)",
                "INSERT INTO ecom_orders VALUES ('o1', 'delivered', '2024-01-02 10:00:00', '2024-01-03 09:00:00'), "
                        + "('o2', '', '2024-01-05 11:30:00', NULL), ('o3', 'shipped', '2024-02-01 08:15:00', NULL)");
        MariaDbServer m = SharedServers.mariaDb();
        // README.md's script, with the servers of this test in place of localhost.
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("```python\n") + "```python\n".length();
        String script = readme.substring(from, readme.indexOf("```", from))
                .replace("'host': 'localhost', 'port': 3306, 'database': 'shop', 'username': 'u', 'password': 'p'",
                        "'host': '%s', 'port': %d, 'database': '%s', 'username': '%s', 'password': '%s'"
                                .formatted(m.host(), m.port(), db, m.cdcUser(), m.cdcPassword()))
                .replace("mongodb://localhost:27017/shop", SharedServers.mongo().connectionString() + "/" + db);
        ScriptResult result = PipelineScripts.run(Files.writeString(dir.resolve("orders.py"), script), Map.of());
        JobSpec spec = result.started().get(0);

        try (RunningPipeline job = LocalPipelineRunner.start(JobPlanner.plan(spec), TestDatabases.runOptions(dir.resolve("cp")))) {
            await(Duration.ofMinutes(3), () -> orders(db).equals(Map.of(
                            "o1", "delivered 2024-01-02T10:00", "o2", "invalid 2024-01-05T11:30", "o3", "shipped 2024-02-01T08:15")),
                    () -> "mongo has " + orders(db), job);
            TestDatabases.mysql(db, "INSERT INTO ecom_orders VALUES ('o4', NULL, '2024-03-01 00:00:00', '2024-03-02 00:00:00')",
                    "UPDATE ecom_orders SET order_status = '' WHERE order_id = 'o1'",
                    "DELETE FROM ecom_orders WHERE order_id = 'o3'");
            await(Duration.ofMinutes(2), () -> orders(db).equals(Map.of(
                            "o1", "invalid 2024-01-02T10:00", "o2", "invalid 2024-01-05T11:30", "o4", "invalid 2024-03-01T00:00")),
                    () -> "mongo has " + orders(db), job);
        }
    }

    /** order_id → "status purchase_timestamp"; fails if the excluded field or the old field name reached MongoDB. */
    private static Map<String, String> orders(String db) {
        Map<String, String> out = new TreeMap<>();
        try (MongoClient client = MongoClients.create(SharedServers.mongo().connectionString())) {
            for (Document d : client.getDatabase(db).getCollection("orders").find()) {
                assertThat(d).doesNotContainKeys("order_delivered_carrier_date", "order_purchase_timestamp");
                out.put(d.getString("order_id"), d.getString("order_status") + " "
                        + d.getDate("purchase_timestamp").toInstant().toString().replace(":00Z", "").replace("Z", ""));
            }
        }
        return out;
    }
}
