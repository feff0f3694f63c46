package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.ElasticsearchServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB into a real Elasticsearch 7.10.2: the mapping and the value of every type family, deletes and key changes
 * (single and composite keys), two pipelines filling one document in update mode, a row the index refuses going to
 * the dead letters, and the checks before start.
 */
class ElasticsearchTargetITCase {

    private static final Path EXAMPLE = Path.of("..", "examples", "mysql-to-elasticsearch.json");

    @TempDir
    Path checkpoints;

    @Test
    void everyTypeFamilyGetsItsMappingAndExactValueFromSnapshotAndBinlog() throws Exception {
        String db = TestDatabases.freshName("es_types");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        TestDatabases.mysql(db, "CREATE TABLE all_types (id INT PRIMARY KEY, " + TypeMappingITCase.COLUMNS + ")",
                "SET time_zone = '+05:30'",
                "INSERT INTO all_types VALUES (1, " + TypeMappingITCase.VALUES + ")",
                "INSERT INTO all_types (id) VALUES (2)");
        String index = db + "_all_types";
        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("es-types").readFrom(mysql.table("all_types"))
                .writeTo(es).checkpointInterval(Duration.ofSeconds(2)), mysql, es));
        assertThat(plan.createdTargetTables()).containsExactly(index);

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> ElasticsearchDocuments.documents(index).size() == 2,
                    () -> "documents: " + ElasticsearchDocuments.documents(index).keySet(), job);
            TestDatabases.mysql(db, "SET time_zone = '+05:30'", "INSERT INTO all_types VALUES (3, " + TypeMappingITCase.VALUES + ")",
                    "INSERT INTO all_types (id) VALUES (4)");
            await(Duration.ofMinutes(1), () -> ElasticsearchDocuments.documents(index).size() == 4,
                    () -> "documents: " + ElasticsearchDocuments.documents(index).keySet(), job);
        }

        Map<String, JsonNode> docs = ElasticsearchDocuments.documents(index);
        assertThat(docs.get("1")).isEqualTo(AllTypesJson.row(1));
        assertThat(docs.get("3")).isEqualTo(AllTypesJson.row(3));
        for (String nullRow : List.of("2", "4")) {
            docs.get(nullRow).fields().forEachRemaining(f -> {
                if (!f.getKey().equals("id")) {
                    assertThat(f.getValue().isNull()).as(f.getKey() + " of row " + nullRow).isTrue();
                }
            });
        }
        assertThat(mappingTypes(index)).isEqualTo(expectedMapping());
    }

    private static Map<String, String> expectedMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String integer : List.of("id", "t_tiny", "t_tiny_u", "t_small", "t_small_u", "t_medium", "t_int", "t_year")) {
            m.put(integer, "integer");
        }
        m.put("t_int_u", "long");
        m.put("t_big", "long");
        m.put("t_big_u", "keyword");
        m.put("t_dec", "keyword");
        m.put("t_float", "float");
        m.put("t_double", "double");
        m.put("t_char", "keyword");
        m.put("t_varchar", "keyword");
        m.put("t_text", "text");
        m.put("t_json", "text");
        for (String binary : List.of("t_binary", "t_varbinary", "t_blob")) {
            m.put(binary, "binary");
        }
        m.put("t_date", "date yyyy-MM-dd");
        m.put("t_time", "keyword");
        m.put("t_datetime", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS");
        m.put("t_timestamp", "date yyyy-MM-dd'T'HH:mm:ss.SSSSSSX||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX");
        m.put("t_bit1", "boolean");
        m.put("t_bit", "long");
        m.put("t_enum", "keyword");
        m.put("t_set", "keyword");
        return new java.util.TreeMap<>(m);
    }

    private static Map<String, String> mappingTypes(String index) {
        Map<String, String> types = new java.util.TreeMap<>();
        ElasticsearchDocuments.properties(index).fields().forEachRemaining(f -> types.put(f.getKey(),
                f.getValue().path("type").asText() + (f.getValue().has("format") ? " " + f.getValue().path("format").asText() : "")));
        return types;
    }

    @Test
    void deletesAndKeyChangesMoveDocumentsForSingleAndCompositeKeys() throws Exception {
        String db = TestDatabases.freshName("es_keys");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        TestDatabases.mysql(db, "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(50), balance DECIMAL(10,2))",
                "CREATE TABLE pair (a INT, b VARCHAR(10), note VARCHAR(10), PRIMARY KEY (a, b))",
                "INSERT INTO customer VALUES (1, 'Ada', 10.50), (2, 'Grace', 20.00), (3, 'Linus', NULL)",
                "INSERT INTO pair VALUES (1, 'a|', 'x'), (1, 'a', 'y')");
        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("es-keys").readFrom(mysql.table("customer"), mysql.table("pair"))
                .writeTo(es).checkpointInterval(Duration.ofSeconds(2)), mysql, es));

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> ElasticsearchDocuments.documents(db + "_customer").size() == 3
                            && ElasticsearchDocuments.documents(db + "_pair").size() == 2,
                    () -> "documents: " + ElasticsearchDocuments.documents(db + "_customer").keySet(), job);
            TestDatabases.mysql(db, "UPDATE customer SET balance = 99.99 WHERE id = 1", "DELETE FROM customer WHERE id = 2",
                    "UPDATE customer SET id = 30 WHERE id = 3", "UPDATE pair SET b = 'b' WHERE a = 1 AND b = 'a'");
            await(Duration.ofMinutes(1), () -> ElasticsearchDocuments.documents(db + "_customer").keySet().equals(java.util.Set.of("1", "30"))
                            && ElasticsearchDocuments.documents(db + "_pair").containsKey("[1,\"b\"]"),
                    () -> "documents: " + ElasticsearchDocuments.documents(db + "_customer") + " "
                            + ElasticsearchDocuments.documents(db + "_pair").keySet(), job);
        }
        Map<String, JsonNode> customers = ElasticsearchDocuments.documents(db + "_customer");
        assertThat(customers.get("1").toString()).isEqualTo("{\"id\":1,\"name\":\"Ada\",\"balance\":\"99.99\"}");
        assertThat(customers.get("30").toString()).isEqualTo("{\"id\":30,\"name\":\"Linus\",\"balance\":null}");
        assertThat(ElasticsearchDocuments.documents(db + "_pair").keySet()).containsExactlyInAnyOrder("[1,\"a|\"]", "[1,\"b\"]");
        // DECIMAL(10,2) is a scaled_float: the exact text is kept and range queries see the number.
        assertThat(ElasticsearchDocuments.properties(db + "_customer").path("balance").path("type").asText()).isEqualTo("scaled_float");
        JsonNode rich = ElasticsearchDocuments.request("GET", "/" + db + "_customer/_search",
                "{\"query\":{\"range\":{\"balance\":{\"gte\":50}}}}");
        assertThat(rich.path("hits").path("total").path("value").asInt()).isEqualTo(1);
    }

    @Test
    void theExamplePipelineFileRunsAsWritten() throws Exception {
        String db = TestDatabases.freshName("es_example");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100))",
                "INSERT INTO customer VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', 'grace@example.com')");
        Pipeline example = DefinitionJson.pipeline(Files.readString(EXAMPLE), EXAMPLE.toString());
        // The datasources the example names, on the test's servers.
        DataSource shop = new DataSource(mysql.type(), "shop-mysql", mysql.options());
        DataSource search = ElasticsearchDocuments.datasource("search", db + "_");
        JobPlan plan = JobPlanner.plan(JobSpec.of(example, shop, search));
        String index = db + "_customers";

        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> ElasticsearchDocuments.documents(index).size() == 2,
                    () -> "documents: " + ElasticsearchDocuments.documents(index), job);
            TestDatabases.mysql(db, "UPDATE customer SET name = 'Grace H.' WHERE id = 2");
            await(Duration.ofMinutes(1), () -> ElasticsearchDocuments.documents(index).get("2").path("name").asText().equals("Grace H."),
                    () -> "documents: " + ElasticsearchDocuments.documents(index), job);
        }
        assertThat(ElasticsearchDocuments.documents(index).toString())
                .isEqualTo("{1={\"id\":1,\"name\":\"Ada\"}, 2={\"id\":2,\"name\":\"Grace H.\"}}");
    }

    @Test
    void twoPipelinesInUpdateModeFillTheirOwnFieldsOfOneDocument() throws Exception {
        String db = TestDatabases.freshName("es_update");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_").option("write-mode", "update");
        TestDatabases.mysql(db, "CREATE TABLE profile (id INT PRIMARY KEY, name VARCHAR(50))",
                "CREATE TABLE score (id INT PRIMARY KEY, points INT)",
                "INSERT INTO profile VALUES (1, 'Ada'), (2, 'Grace')", "INSERT INTO score VALUES (1, 10), (2, 20)");
        JobPlan profiles = JobPlanner.plan(JobSpec.of(Pipeline.named("es-profiles").readFrom(mysql.table("profile"))
                .writeTo(es.table("people")).checkpointInterval(Duration.ofSeconds(2)), mysql, es));
        JobPlan scores = JobPlanner.plan(JobSpec.of(Pipeline.named("es-scores").readFrom(mysql.table("score"))
                .writeTo(es.table("people")).checkpointInterval(Duration.ofSeconds(2)), mysql, es));
        String index = db + "_people";

        try (RunningPipeline a = LocalPipelineRunner.start(profiles, TestDatabases.runOptions(checkpoints.resolve("a")));
             RunningPipeline b = LocalPipelineRunner.start(scores, TestDatabases.runOptions(checkpoints.resolve("b")))) {
            TestDatabases.mysql(db, "UPDATE score SET points = 11 WHERE id = 1", "UPDATE profile SET name = 'Ada L.' WHERE id = 1");
            await(Duration.ofMinutes(2), () -> ElasticsearchDocuments.documents(index).toString()
                            .equals("{1={\"id\":1,\"name\":\"Ada L.\",\"points\":11}, 2={\"id\":2,\"name\":\"Grace\",\"points\":20}}")
                            || ElasticsearchDocuments.documents(index).toString()
                            .equals("{1={\"id\":1,\"points\":11,\"name\":\"Ada L.\"}, 2={\"id\":2,\"points\":20,\"name\":\"Grace\"}}"),
                    () -> "documents: " + ElasticsearchDocuments.documents(index), a, b);
        }
        Map<String, JsonNode> docs = ElasticsearchDocuments.documents(index);
        assertThat(docs.get("1").path("name").asText()).isEqualTo("Ada L.");
        assertThat(docs.get("1").path("points").asInt()).isEqualTo(11);
        assertThat(docs.get("2").path("name").asText()).isEqualTo("Grace");
        assertThat(docs.get("2").path("points").asInt()).isEqualTo(20);
    }

    @Test
    void aRowTheIndexRefusesGoesToTheDeadLettersAndConflictsAreReportedBeforeAnythingIsCreated() throws Exception {
        String db = TestDatabases.freshName("es_refused");
        DataSource mysql = TestDatabases.mysqlSource(db);
        DataSource pg = TestDatabases.postgresTarget(db);
        DataSource es = ElasticsearchDocuments.datasource("es-" + db, db + "_");
        TestDatabases.mysql(db, "CREATE TABLE wide (id INT PRIMARY KEY, n BIGINT, label VARCHAR(20))",
                "INSERT INTO wide VALUES (1, 7, 'fits'), (2, 5000000000, 'too big')");
        // An index made by someone else, whose integer field takes the BIGINT values that fit it only.
        ElasticsearchDocuments.request("PUT", "/" + db + "_wide", "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"integer\"}}}}");

        // First the checks: a field of an incompatible type fails planning, and creates neither index nor table.
        ElasticsearchDocuments.request("PUT", "/" + db + "_clash", "{\"mappings\":{\"properties\":{\"label\":{\"type\":\"long\"}}}}");
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(Pipeline.named("es-clash").readFrom(mysql.table("wide"))
                        .writeTo(es.table("clash")).onError(ErrorPolicy.deadLetter(pg.table("errors"))), mysql, es, pg)))
                .isInstanceOf(TapflowException.class)
                .hasMessageContaining("index '" + db + "_clash' maps field 'label' as long, but tapflow writes column 'label'"
                        + " (varchar(20)) as keyword");
        assertThat(PgRows.tableExists(db, "errors")).isFalse();
        assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(Pipeline.named("es-down").readFrom(mysql.table("wide"))
                        .writeTo(es.table("down")), mysql, es.option("hosts", "http://127.0.0.1:1"))))
                .hasMessageContaining("Elasticsearch datasource 'es-" + db + "' (http://127.0.0.1:1): cannot connect");

        JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("es-refused").readFrom(mysql.table("wide"))
                .writeTo(es).onError(ErrorPolicy.deadLetter(pg.table("errors"))).checkpointInterval(Duration.ofSeconds(2)),
                mysql, es, pg));
        try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints))) {
            await(Duration.ofMinutes(2), () -> PgRows.tableExists(db, "errors") && !PgRows.read(db, "errors", "id").isEmpty(),
                    () -> "documents: " + ElasticsearchDocuments.documents(db + "_wide").keySet(), job);
            TestDatabases.mysql(db, "INSERT INTO wide VALUES (3, 8, 'live')");
            await(Duration.ofMinutes(1), () -> ElasticsearchDocuments.documents(db + "_wide").containsKey("3"),
                    () -> "documents: " + ElasticsearchDocuments.documents(db + "_wide").keySet(), job);
        }
        assertThat(ElasticsearchDocuments.documents(db + "_wide").keySet()).containsExactly("1", "3");
        List<Map<String, String>> errors = PgRows.read(db, "errors", "id");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).containsEntry("pipeline", "es-refused").containsEntry("step", "sink")
                .containsEntry("source_table", db + ".wide").containsEntry("row_key", "{id=2}");
        assertThat(errors.get(0).get("row_json")).contains("\"n\":5000000000");
        assertThat(errors.get(0).get("error")).contains("target refused row {id=2}", "mapper_parsing_exception", "out of range");
    }

    @Test
    void bulkRequestsANodeRejectsAreRetriedWithNothingLost() throws Exception {
        String db = TestDatabases.freshName("es_rejects");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))", "SET max_recursive_iterations = 5000",
                "INSERT INTO item WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                        + " SELECT i, CONCAT('item ', i) FROM n");
        // A node with one write thread and a queue of one: concurrent bulk requests get HTTP 429.
        try (ElasticsearchServer tiny = ElasticsearchServer.start(checkpoints.resolve("tiny-es"), 1)) {
            DataSource es = DataSource.of("elasticsearch", "tiny").option("hosts", tiny.url()).option("bulk.max-actions", "20");
            JobPlan plan = JobPlanner.plan(JobSpec.of(Pipeline.named("es-rejects").readFrom(mysql.table("item")).writeTo(es)
                    .parallelism(2).checkpointInterval(Duration.ofSeconds(2)), mysql, es));
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicLong competitorRejected = new AtomicLong();
            Thread competitor = new Thread(() -> compete(tiny.url(), loading, competitorRejected), "competing bulk writer");
            competitor.start();
            try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(checkpoints.resolve("job")))) {
                TestDatabases.mysql(db, "UPDATE item SET name = 'changed' WHERE id <= 500", "DELETE FROM item WHERE id > 2900");
                await(Duration.ofMinutes(3), () -> count(tiny.url(), "item", "") == 2900
                                && count(tiny.url(), "item", "?q=name:changed") == 500,
                        () -> "documents: " + count(tiny.url(), "item", ""), job);
            } finally {
                loading.set(false);
                competitor.join();
            }
            JsonNode stats = http(tiny.url(), "GET", "/_nodes/stats/thread_pool", null);
            long rejected = stats.path("nodes").elements().next().path("thread_pool").path("write").path("rejected").asLong();
            // The noise index has one shard: each of the competitor's rejected requests is one rejected write task.
            assertThat(rejected - competitorRejected.get()).as("tapflow's write requests the node rejected (and tapflow retried)")
                    .isPositive();
        }
    }

    /** Keeps the tiny node's write queue busy with bulk requests of its own until told to stop. */
    private static void compete(String url, AtomicBoolean loading, AtomicLong rejected) {
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            bulk.append("{\"index\":{\"_index\":\"noise\"}}\n{\"n\":").append(i).append("}\n");
        }
        while (loading.get()) {
            JsonNode answer = http(url, "POST", "/_bulk", bulk.toString());
            if (answer.path("status").asInt() == 429 || answer.path("items").path(0).path("index").path("status").asInt() == 429) {
                rejected.incrementAndGet();
            }
        }
    }

    private static long count(String url, String index, String query) {
        http(url, "POST", "/" + index + "/_refresh", null);
        return http(url, "GET", "/" + index + "/_count" + query, null).path("count").asLong();
    }

    private static JsonNode http(String url, String method, String path, String body) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                    .header("Content-Type", path.endsWith("_bulk") ? "application/x-ndjson" : "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return ElasticsearchDocuments.JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
