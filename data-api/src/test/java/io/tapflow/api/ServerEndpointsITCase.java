package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.api.Api;
import io.tapflow.servers.PostgresServer;
import io.tapflow.servers.SharedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The server's other endpoints on a real PostgreSQL table: OpenAPI from the real column types, /docs, /health, /metrics, /changes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerEndpointsITCase {
    private static final String DB = "api_endpoints";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PostgresServer pg = SharedServers.postgres();
    private final HttpClient http = HttpClient.newHttpClient();
    private Backends backends;
    ApiServer server;
    private ApiKeys keys;
    String key;

    @BeforeAll
    void start() throws Exception {
        pg.createDatabase(DB);
        sql("DROP TABLE IF EXISTS product",
                "CREATE TABLE product (id INT PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2) NOT NULL, country VARCHAR(2),"
                        + " made DATE, ratio DOUBLE PRECISION, active BOOLEAN, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                "CREATE INDEX product_updated ON product (updated_at, id)",
                "INSERT INTO product VALUES (1, 'pen', 1.50, 'DE', '2024-02-29', 0.1, true, '2024-01-01T00:00:00Z'),"
                        + " (2, 'ink', 12345678.99, NULL, NULL, NULL, NULL, '2024-01-02T00:00:00Z')");
        keys = new ApiKeys(Files.createTempDirectory("tapflow-api"));
        key = keys.create(List.of("*"), 1000, 1000).secret();
        DataSource ds = DataSource.of("postgres", "pg").host(pg.host()).port(pg.port()).username(pg.user()).password(pg.password()).database(DB);
        backends = new Backends(5);
        Api products = Api.named("products").readFrom(ds.table("product"))
                .fields("id", "name", "price", "country", "made", "ratio", "active", "updated_at")
                .filterable("name", "price").sortable("price").param("max_price", "price", "lte").changesBy("updated_at");
        server = new ApiServer(List.of(new ApiPublisher(Map.of("pg", ds), backends).check(products)), keys, 50).start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        server.close();
        backends.close();
    }

    @Test
    void openApiDocumentHasTheRealColumnTypes() throws Exception {
        JsonNode doc = JSON.readTree(get("/openapi.json", null).body());
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        JsonNode props = doc.at("/components/schemas/products/properties");
        assertThat(props.at("/id/type").asText()).isEqualTo("integer");
        assertThat(props.at("/price/type").asText()).isEqualTo("number");
        assertThat(props.at("/price/description").asText()).contains("numeric").contains("exact decimal");
        assertThat(props.at("/country/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(props.at("/made/format").asText()).isEqualTo("date");
        assertThat(props.at("/ratio/format").asText()).isEqualTo("double");
        assertThat(props.at("/active/type").toString()).isEqualTo("[\"boolean\",\"null\"]");
        assertThat(props.at("/updated_at/format").asText()).isEqualTo("date-time");
        assertThat(doc.at("/paths/~1api~1products/get/parameters").toString()).contains("max_price").contains("\"maximum\":1000");
        assertThat(doc.at("/paths/~1api~1products~1{key}/get/parameters/0/schema/type").asText()).isEqualTo("integer");
        assertThat(doc.at("/paths/~1api~1products~1changes/get/responses/200/content").has("text/event-stream")).isTrue();
        assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void valuesAreRenderedExactly() throws Exception {
        String body = get("/api/products?order=price", key).body();
        assertThat(body).isEqualTo("{\"data\":["
                + "{\"id\":1,\"name\":\"pen\",\"price\":1.50,\"country\":\"DE\",\"made\":\"2024-02-29\",\"ratio\":0.1,\"active\":true,"
                + "\"updated_at\":\"2024-01-01T00:00Z\"},"
                + "{\"id\":2,\"name\":\"ink\",\"price\":12345678.99,\"country\":null,\"made\":null,\"ratio\":null,\"active\":null,"
                + "\"updated_at\":\"2024-01-02T00:00Z\"}],\"next\":null}");
    }

    @Test
    void docsHealthAndMetrics() throws Exception {
        HttpResponse<String> docs = get("/docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("swagger-ui-bundle.js").contains("/openapi.json");
        String bundle = docs.body().replaceAll("(?s).*src=\"([^\"]*swagger-ui-bundle\\.js)\".*", "$1");
        assertThat(get(bundle, null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get("/health", null).body()).get("status").asText()).isEqualTo("up");
        get("/api/products?limit=1", key);
        get("/api/products?limit=x", key);
        get("/api/products", null);
        String metrics = get("/metrics", null).body();
        assertThat(metrics).contains("tapflow_api_requests_total{api=\"products\",status=\"200\"}")
                .contains("tapflow_api_requests_total{api=\"products\",status=\"401\"}")
                .contains("tapflow_api_requests_total{api=\"products\",status=\"400\"}")
                .contains("tapflow_api_request_duration_seconds_bucket{api=\"products\"");
        assertThat(get("/nowhere", null).body()).contains("\"status\":404").contains("published: products");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/products"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).contains("read-only");
    }

    @Test
    void changesStreamSendsEachChangedRowAndResumes() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/products/changes")).header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream").build();
        var stream = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(lines::add));
        assertThat(lines.poll(5, TimeUnit.SECONDS)).startsWith(":"); // the opening comment: the stream is live
        sql("INSERT INTO product (id, name, price) VALUES (3, 'cap', 2.00)", "UPDATE product SET price = 1.75, updated_at = now() WHERE id = 1");
        List<String> events = events(lines, 2);
        assertThat(events.get(0)).contains("\"id\":3").contains("\"price\":2.00");
        assertThat(events.get(1)).contains("\"id\":1").contains("\"price\":1.75");
        stream.cancel(true);

        // Reconnecting with the first event's id resumes after it: the second event again, and what changed meanwhile.
        String firstId = lastEventIds.get(0);
        sql("UPDATE product SET price = 9.99, updated_at = now() WHERE id = 2");
        BlockingQueue<String> resumed = new LinkedBlockingQueue<>();
        http.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/api/products/changes")).header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream").header("Last-Event-ID", firstId).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(resumed::add));
        List<String> again = events(resumed, 2);
        assertThat(again.get(0)).contains("\"id\":1").contains("\"price\":1.75");
        assertThat(again.get(1)).contains("\"id\":2").contains("\"price\":9.99");

        assertThat(get("/api/products/changes", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/products/changes", key).statusCode()).isEqualTo(406);
    }

    /**
     * A real browser runs one request through Swagger UI: authorize with a key, try out GET /api/products, execute,
     * and the page shows the 200 and the rows. Debian's chromium must be installed (.ci/run installs it); without it the
     * test fails under CI=true and is skipped elsewhere, saying why.
     */
    @Test
    void swaggerUiRunsARequestInHeadlessChromium() throws Exception {
        var binary = HeadlessChromium.find();
        String missing = "chromium is not installed: apt-get install -y chromium (Debian's package), or run .ci/run, which does";
        if (binary.isEmpty()) {
            org.junit.jupiter.api.Assertions.assertNotEquals("true", System.getenv("CI"), missing);
            org.junit.jupiter.api.Assumptions.abort(missing);
        }
        try (HeadlessChromium browser = new HeadlessChromium(binary.get())) {
            browser.navigate(base() + "/docs");
            String op = "document.querySelector('#operations-products-listProducts')";
            String page = "document.body.innerText.slice(0, 2000)";
            browser.await(op, java.time.Duration.ofSeconds(30), page);
            browser.evaluate("window.ui.preauthorizeApiKey('apiKey', '" + key + "')");
            browser.evaluate(op + ".querySelector('.opblock-summary-control').click()");
            browser.await(op + ".querySelector('.try-out__btn')", java.time.Duration.ofSeconds(10), page);
            browser.evaluate(op + ".querySelector('.try-out__btn').click()");
            browser.await(op + ".querySelector('.execute')", java.time.Duration.ofSeconds(10), page);
            browser.evaluate(op + ".querySelector('.execute').click()");
            String response = op + ".querySelector('.live-responses-table .response-col_description .microlight')";
            browser.await(response, java.time.Duration.ofSeconds(20), op + ".innerText");
            assertThat(browser.evaluate(op + ".querySelector('.live-responses-table tr.response .response-col_status').innerText").asText()).isEqualTo("200");
            assertThat(browser.evaluate(response + ".innerText").asText()).contains("\"name\": \"pen\"")
                    .contains("\"price\": 12345678.99"); // Swagger UI re-formats the JSON: 1.50 shows as 1.5 there
        }
    }

    /** A query over the timeout is cancelled by the database and answered with a 504 that says so, not left running. */
    @Test
    void aSlowQueryIsCancelledAtTheTimeout() throws Exception {
        sql("CREATE OR REPLACE VIEW slow AS SELECT g AS id, (SELECT 1 FROM pg_sleep(3)) AS x FROM generate_series(1, 3) g");
        ApiKeys slowKeys = new ApiKeys(Files.createTempDirectory("tapflow-api"));
        String slowKey = slowKeys.create(List.of("*"), 100, 100).secret();
        DataSource ds = DataSource.of("postgres", "pg").host(pg.host()).port(pg.port()).username(pg.user()).password(pg.password()).database(DB);
        try (Backends oneSecond = new Backends(1); ApiServer slow = new ApiServer(List.of(new ApiPublisher(Map.of("pg", ds), oneSecond)
                .check(Api.named("slow").readFrom(ds.table("slow")).fields("id", "x").key("id"))), slowKeys).start("127.0.0.1", 0)) {
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.port() + "/api/slow"))
                    .header("Authorization", "Bearer " + slowKey).build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("the query took longer than 1 s").doesNotContain("pg_sleep").doesNotContain("cancel");
            assertThat(ms).isLessThan(2900);
        }
    }

    /** With more requests than connections, the waiting ones get a connection in the order they came, none refused. */
    @Test
    void requestsBeyondThePoolWaitTheirTurnInOrder() throws Exception {
        sql("CREATE OR REPLACE VIEW nap AS SELECT g AS id, (SELECT 1 FROM pg_sleep(0.3)) AS x FROM generate_series(1, 4) g");
        DataSource ds = DataSource.of("postgres", "pg").host(pg.host()).port(pg.port()).username(pg.user()).password(pg.password()).database(DB);
        try (Backends oneConnection = new Backends(5, 1); ApiServer napping = new ApiServer(List.of(new ApiPublisher(Map.of("pg", ds),
                oneConnection).check(Api.named("nap").readFrom(ds.table("nap")).fields("id", "x").key("id"))), keys).start("127.0.0.1", 0)) {
            List<Integer> answered = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            List<java.util.concurrent.CompletableFuture<Integer>> statuses = new java.util.ArrayList<>();
            for (int id = 1; id <= 4; id++) {
                int sent = id;
                statuses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + napping.port() + "/api/nap/" + id))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                            answered.add(sent);
                            return r.statusCode();
                        }));
                // Each one is in line (waiting while the one before it holds the connection) before the next is sent.
                awaitInLine((JdbcBackend) oneConnection.of(ds), sent);
            }
            assertThat(statuses.stream().map(java.util.concurrent.CompletableFuture::join)).containsOnly(200);
            assertThat(answered).containsExactly(1, 2, 3, 4);
        }
    }

    private static void awaitInLine(JdbcBackend backend, int queries) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.queriesInLine() < queries) {
            assertThat(System.nanoTime()).as("query %d never got in line", queries).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** The ids of the events {@link #events} read, in order. */
    private final List<String> lastEventIds = new java.util.ArrayList<>();

    /** The data lines of the next n events; fails after 5 s without one. */
    private List<String> events(BlockingQueue<String> lines, int n) throws InterruptedException {
        List<String> out = new java.util.ArrayList<>();
        while (out.size() < n) {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertThat(line).as("event %d of %d", out.size() + 1, n).isNotNull();
            if (line.startsWith("data:")) {
                out.add(line);
            } else if (line.startsWith("id:")) {
                lastEventIds.add(line.substring(3).strip());
            }
        }
        return out;
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
