package io.tapflow.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.DataSource;
import io.tapflow.servers.ElasticsearchServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The quickstart's Elasticsearch target: index customer, documents by id. A change counts as arrived when a get by id
 * returns it (Elasticsearch's real-time get); a search sees it after the next refresh (1 s by default).
 */
final class ElasticsearchDemoTarget implements DemoTarget {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ElasticsearchServer es;
    private final HttpClient http = HttpClient.newHttpClient();

    ElasticsearchDemoTarget(ElasticsearchServer es) {
        this.es = es;
    }

    @Override
    public String name() {
        return "Elasticsearch";
    }

    @Override
    public DataSource dataSource() {
        return DataSource.of("elasticsearch", "demo-elasticsearch").option("hosts", es.url());
    }

    @Override
    public long rows() throws IOException, InterruptedException {
        get("/customer/_refresh");
        return get("/customer/_count").path("count").asLong();
    }

    @Override
    public boolean shows(int id, String note, boolean deleted) throws IOException, InterruptedException {
        JsonNode doc = get("/customer/_doc/" + id);
        return deleted ? !doc.path("found").asBoolean() : note.equals(doc.path("_source").path("note").asText(null));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(es.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
