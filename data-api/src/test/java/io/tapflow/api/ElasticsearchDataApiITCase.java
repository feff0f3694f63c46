package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.api.Api;
import io.tapflow.servers.ElasticsearchServer;
import io.tapflow.servers.SharedServers;
import io.tapflow.servers.TestCertificate;
import io.tapflow.servers.TlsProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data API contract on a real Elasticsearch 7.10 node, over indices mapped as tapflow's Elasticsearch target maps
 * its columns (BIGINT as long, VARCHAR as keyword, DECIMAL(10,2) as scaled_float holding the exact text "12.50").
 */
class ElasticsearchDataApiITCase extends DataApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ElasticsearchServer es = SharedServers.elasticsearch();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Backends> opened = new ArrayList<>();

    @Override
    DataSource datasource() {
        DataSource ds = DataSource.of("elasticsearch", "search").option("hosts", es.url()).option("index-prefix", "api_");
        return es.user() == null ? ds : ds.option("username", es.user()).option("password", es.password());
    }

    @Override
    String idField() {
        return "id";
    }

    @Override
    Api keyed(Api api) {
        return api.key("id");
    }

    @Override
    void createTables() throws Exception {
        recreate("api_customer", Map.of("id", Map.of("type", "long"), "name", Map.of("type", "keyword"),
                "country", Map.of("type", "keyword"), "balance", Map.of("type", "scaled_float", "scaling_factor", 100)));
        StringBuilder bulk = new StringBuilder();
        for (int id = 1; id <= CUSTOMERS; id++) {
            Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("id", id);
            doc.put("name", name(id));
            doc.put("country", country(id)); // null, as the target writes a NULL column
            doc.put("balance", balance(id).toPlainString()); // the exact text, as the target writes decimals
            bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n").append(JSON.writeValueAsString(doc)).append('\n');
        }
        ok("POST", "/api_customer/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
        recreate("api_events", Map.of("id", Map.of("type", "long"), "seq", Map.of("type", "integer")));
        bulk.setLength(0);
        for (int id = 1; id <= EVENTS; id++) {
            bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n")
                    .append("{\"id\":").append(id).append(",\"seq\":").append(JdbcTables.seq(id)).append("}\n");
        }
        ok("POST", "/api_events/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
    }

    @Override
    void insertEvent(int id) throws Exception {
        ok("PUT", "/api_events/_doc/" + id + "?refresh=true", "{\"id\":" + id + ",\"seq\":" + JdbcTables.seq(id) + "}", "application/json");
    }

    @Override
    void deleteEvent(int id) throws Exception {
        ok("DELETE", "/api_events/_doc/" + id + "?refresh=true", null, "application/json");
    }

    @Override
    boolean customerTableExists() throws Exception {
        return JSON.readTree(ok("GET", "/api_customer/_count", null, "application/json")).get("count").asLong() == CUSTOMERS;
    }

    /** Field types come from the mapping: dates by their format, text not filterable, decimals exact. */
    @Test
    void typesComeFromTheMappingAndDatesFilterAsDates() throws Exception {
        recreate("api_dated", Map.of("id", Map.of("type", "long"), "day", Map.of("type", "date", "format", "yyyy-MM-dd"),
                "at", Map.of("type", "date", "format", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"),
                "note", Map.of("type", "text", "fields", Map.of("keyword", Map.of("type", "keyword", "ignore_above", 256)))));
        ok("PUT", "/api_dated/_doc/1?refresh=true",
                "{\"id\":1,\"day\":\"2024-02-29\",\"at\":\"2024-02-29T13:14:15.123456Z\",\"note\":\"a long text\"}", "application/json");
        ok("PUT", "/api_dated/_doc/2?refresh=true",
                "{\"id\":2,\"day\":\"2024-03-01\",\"at\":\"2024-03-01T00:00:00.000001Z\",\"note\":null}", "application/json");
        Backends backends = new Backends(5);
        try {
            ApiPublisher publisher = new ApiPublisher(Map.of("search", datasource()), backends);
            TableSchema schema = backends.of(datasource()).describe("dated").orElseThrow();
            assertThat(schema.column("day").type()).isEqualTo(ColumnType.DATE);
            assertThat(schema.column("at").type()).isEqualTo(ColumnType.TIMESTAMP);
            assertThat(schema.column("note").type()).isEqualTo(ColumnType.OTHER);
            assertThat(backends.of(datasource()).describe("missing_index")).isEmpty();
            assertThat(backends.of(datasource()).describe("api_*")).isEmpty();
            assertThatThrownBy(() -> publisher.check(Api.named("notes").readFrom(datasource().table("dated"))
                    .fields("id", "note").filterable("note").key("id")))
                    .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("field 'note' (text)");
            assertThatThrownBy(() -> publisher.check(Api.named("nokey").readFrom(datasource().table("dated")).fields("id")))
                    .hasMessageContaining("key(...)");
            PublishedApi dated = publisher.check(Api.named("dated").readFrom(datasource().table("dated"))
                    .fields("id", "day", "at", "note").filterable("day", "at").key("id"));
            assertThat(ApiReader.byKey(dated, "1", () -> { }).orElseThrow())
                    .containsEntry("day", "2024-02-29").containsEntry("at", "2024-02-29T13:14:15.123456Z")
                    .containsEntry("note", "a long text");
            assertThat(ids(dated, Map.of("day", List.of("eq.2024-03-01")))).containsExactly(2L);
            assertThat(ids(dated, Map.of("at", List.of("lt.2024-03-01T00:00:00Z")))).containsExactly(1L);
            assertThat(ids(dated, Map.of("at", List.of("gte.2024-02-29T13:14:15Z")))).containsExactly(1L, 2L);
            Map<String, Object> openApi = OpenApiDocument.of(List.of(dated));
            assertThat(JSON.writeValueAsString(openApi)).contains("\"format\":\"date\"").contains("\"format\":\"date-time\"");
        } finally {
            backends.close();
        }
    }

    /**
     * An https host whose certificate a CA of the test's own signed (the real node behind a TLS proxy): refused with
     * what to give until option tls.ca-file names that CA, then served through it.
     */
    @Test
    void anHttpsClusterIsTrustedThroughTheCaFile(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.generate(dir.resolve("ca"));
        TestCertificate other = TestCertificate.generate(dir.resolve("other"));
        URI plain = URI.create(es.url());
        try (TlsProxy proxy = new TlsProxy(certificate.serverContext(), plain.getHost(), plain.getPort())) {
            DataSource untrusted = datasource().option("hosts", "https://127.0.0.1:" + proxy.port());
            Api api = Api.named("secure").readFrom(untrusted.table("customer")).fields("id", "name").key("id");
            assertThatThrownBy(() -> check(untrusted, api)).isInstanceOf(TapflowException.class)
                    .hasMessageStartingWith("Elasticsearch datasource 'search' (https://127.0.0.1:" + proxy.port()
                            + "): TLS handshake failed (")
                    .hasMessageEndingWith("give that CA's PEM file as option 'tls.ca-file'");
            assertThatThrownBy(() -> check(untrusted.option("tls.ca-file", other.caPem().toString()), api))
                    .hasMessageEndingWith("check that option 'tls.ca-file' holds the CA that signed the cluster's certificate"
                            + " and that the certificate names the host");
            assertThatThrownBy(() -> check(datasource().option("tls.ca-file", certificate.caPem().toString()), api))
                    .hasMessage("Elasticsearch datasource 'search': option 'tls.ca-file' is for https:// hosts, but 'hosts'"
                            + " has an http:// URL");
            assertThatThrownBy(() -> check(untrusted.option("tls.ca-file", dir.resolve("none.pem").toString()), api))
                    .hasMessageContaining("option 'tls.ca-file': file '" + dir.resolve("none.pem") + "' does not exist");

            PublishedApi secure = check(untrusted.option("tls.ca-file", certificate.caPem().toString()), api);
            assertThat(ApiReader.byKey(secure, "3", () -> { }).orElseThrow())
                    .isEqualTo(Map.of("id", 3, "name", name(3)));
        }
    }

    /** Checks an API against its datasource with a Backends of its own, closed afterwards (the API reads through it). */
    private PublishedApi check(DataSource ds, Api api) {
        Backends backends = new Backends(5);
        opened.add(backends);
        return new ApiPublisher(Map.of(ds.name(), ds), backends).check(api);
    }

    @AfterEach
    void closeBackends() {
        opened.forEach(Backends::close);
        opened.clear();
    }

    private static List<Long> ids(PublishedApi api, Map<String, List<String>> query) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data = (List<Map<String, Object>>) ApiReader.page(api, query, () -> { }).get("data");
        return data.stream().map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    private void recreate(String index, Map<String, Object> properties) throws Exception {
        send("DELETE", "/" + index, null, "application/json");
        ok("PUT", "/" + index, JSON.writeValueAsString(Map.of("mappings", Map.of("properties", properties))), "application/json");
    }

    private String ok(String method, String path, String body, String type) throws Exception {
        HttpResponse<String> r = send(method, path, body, type);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("errors").asBoolean(false)).as(r.body()).isFalse();
        return r.body();
    }

    private HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(es.url() + path)).header("Content-Type", type)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (es.user() != null) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((es.user() + ":" + es.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
