package io.tapflow.flink;

import static io.tapflow.dsl.Lookups.arrayKey;
import static io.tapflow.dsl.Lookups.as;
import static io.tapflow.dsl.Lookups.on;
import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orders view (customer object, items array) into Elasticsearch, where the embedded fields are object fields,
 * into Kafka, whose debezium-json messages carry the whole document, and into MySQL (MariaDB here), one JSON column
 * per embedded field; a customer change reaches all three. The three jobs run side by side.
 */
class LookupOtherTargetsITCase {
    @TempDir
    Path checkpoints;

    @Test
    void ordersViewIntoElasticsearchKafkaAndMySql() throws Exception {
        String db = TestDatabases.freshName("lookup_stream");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        DataSource kafka = KafkaTopicReader.datasource("k-" + db);
        TestDatabases.mysql(db, OrderViews.TABLES);
        TestDatabases.mysql(db, "INSERT INTO customer VALUES (1, 'Ada', 10.50)", "INSERT INTO orders VALUES (1, 1, 'a'), (2, NULL, 'b')",
                "INSERT INTO order_items VALUES (2, 1, 2, 2.50), (1, 1, 1, 1.00)");
        DataSource maria = TestDatabases.mysqlTarget(db + "_t");
        String index = db + "_orders";
        String topic = "lookup-kafka." + db + ".orders";
        try (RunningPipeline toEs = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(view("lookup-es", mysql).writeTo(es), mysql, es)),
                TestDatabases.runOptions(checkpoints.resolve("es")));
             RunningPipeline toKafka = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(view("lookup-kafka", mysql).writeTo(kafka),
                     mysql, kafka)), TestDatabases.runOptions(checkpoints.resolve("kafka")));
             RunningPipeline toMySql = LocalPipelineRunner.start(JobPlanner.plan(JobSpec.of(view("lookup-mysql", mysql)
                     .writeTo(maria.table("orders_view")), mysql, maria)), TestDatabases.runOptions(checkpoints.resolve("mysql")))) {
            await(Duration.ofMinutes(2), () -> ElasticsearchDocuments.documents(index).size() == 2 && latest(topic).size() == 2,
                    () -> "documents " + ElasticsearchDocuments.documents(index).keySet() + ", messages " + latest(topic).keySet(), toEs, toKafka);
            await(Duration.ofMinutes(1), () -> OrderViews.expected(db).equals(OrderViews.fromMySqlJson(db + "_t", "orders_view")),
                    () -> LookupITCase.difference(OrderViews.expected(db), OrderViews.fromMySqlJson(db + "_t", "orders_view")), toMySql);
            TestDatabases.mysql(db, "UPDATE customer SET name = 'Ada L' WHERE id = 1");
            await(Duration.ofMinutes(1), () -> "Ada L".equals(ElasticsearchDocuments.documents(index).get("1").path("customer").path("name").asText())
                            && "Ada L".equals(latest(topic).get("1").path("customer").path("name").asText()),
                    () -> "documents " + ElasticsearchDocuments.documents(index) + ", messages " + latest(topic), toEs, toKafka);
            await(Duration.ofMinutes(1), () -> OrderViews.expected(db).equals(OrderViews.fromMySqlJson(db + "_t", "orders_view")),
                    () -> LookupITCase.difference(OrderViews.expected(db), OrderViews.fromMySqlJson(db + "_t", "orders_view")), toMySql);
        }
        JsonNode doc = ElasticsearchDocuments.documents(index).get("1");
        assertThat(doc.path("customer").toString()).isEqualTo("{\"id\":1,\"name\":\"Ada L\",\"balance\":\"10.50\"}");
        assertThat(doc.path("items").toString()).isEqualTo("[{\"item_id\":1,\"order_id\":1,\"qty\":1,\"price\":\"1.00\"},"
                + "{\"item_id\":2,\"order_id\":1,\"qty\":2,\"price\":\"2.50\"}]");
        assertThat(ElasticsearchDocuments.documents(index).get("2").path("customer").isNull()).isTrue();
        assertThat(ElasticsearchDocuments.properties(index).path("customer").path("properties").has("name")).isTrue();
        JsonNode after = latest(topic).get("1");
        assertThat(after.path("customer")).isEqualTo(doc.path("customer"));
        assertThat(after.path("items")).isEqualTo(doc.path("items"));
    }

    private static Pipeline view(String name, DataSource mysql) {
        return Pipeline.named(name).readFrom(mysql.table("orders"))
                .lookup(mysql.table("customer"), on("customer_id", "id"), as("customer"))
                .lookupMany(mysql.table("order_items"), on("id", "order_id"), as("items"), arrayKey("item_id"))
                .checkpointInterval(Duration.ofSeconds(1));
    }

    /** The after image of the last debezium-json message of each order id. */
    private static Map<String, JsonNode> latest(String topic) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (KafkaTopicReader.Message m : KafkaTopicReader.read(topic, false)) {
            try {
                JsonNode after = ElasticsearchDocuments.JSON.readTree(m.value()).path("after");
                out.put(after.path("id").asText(), after);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
