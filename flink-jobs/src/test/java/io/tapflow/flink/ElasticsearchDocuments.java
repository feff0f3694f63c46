package io.tapflow.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.ElasticsearchServer;
import io.tapflow.servers.SharedServers;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Reads what the shared Elasticsearch holds, over plain HTTP, for assertions. */
final class ElasticsearchDocuments {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchDocuments() {}

    /** A datasource on the shared server whose indices all start with {@code prefix}. */
    static DataSource datasource(String name, String prefix) {
        ElasticsearchServer es = SharedServers.elasticsearch();
        DataSource ds = DataSource.of("elasticsearch", name).option("hosts", es.url()).option("index-prefix", prefix);
        return es.user() == null ? ds : ds.option("username", es.user()).option("password", es.password());
    }

    /** Every document of the index by id, as its _source; empty when the index is missing. */
    static Map<String, JsonNode> documents(String index) {
        // Searches must see every write so far: refresh first (tests only; pipelines have the refresh option).
        request("POST", "/" + encode(index) + "/_refresh", null);
        JsonNode answer = request("GET", "/" + encode(index) + "/_search?size=10000", null);
        Map<String, JsonNode> byId = new TreeMap<>();
        answer.path("hits").path("hits").forEach(hit -> byId.put(hit.path("_id").asText(), hit.path("_source")));
        return byId;
    }

    /** The index's field mappings ({@code properties}). */
    static JsonNode properties(String index) {
        return request("GET", "/" + encode(index) + "/_mapping", null).path(index).path("mappings").path("properties");
    }

    /**
     * Each field of the index's mapping as its type, then its scaling factor or date format where it has one:
     * {@code long}, {@code scaled_float 100.0}, {@code date yyyy-MM-dd}.
     */
    static Map<String, String> fieldTypes(String index) {
        Map<String, String> types = new TreeMap<>();
        properties(index).fields().forEachRemaining(f -> types.put(f.getKey(), (f.getValue().path("type").asText() + " "
                + f.getValue().path("scaling_factor").asText("") + f.getValue().path("format").asText("")).strip()));
        return types;
    }

    static JsonNode request(String method, String path, String body) {
        try {
            return JSON.readTree(requestText(method, path, body));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The answer's text, for readers that parse it themselves (exact numbers). */
    static String requestText(String method, String path, String body) {
        ElasticsearchServer es = SharedServers.elasticsearch();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(es.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (es.user() != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (es.user() + ":" + es.password()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String index) {
        return URLEncoder.encode(index, StandardCharsets.UTF_8);
    }
}
