package io.tapflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ElasticsearchTls;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Reads Elasticsearch 7.x indices (an API's table is the index {@code index-prefix} + table, as the target writes it).
 * Queries are built from the typed {@link Condition} by {@link ElasticsearchQuery}, never from request text; field
 * types come from the index mapping ({@link ElasticsearchFields}). An index has no primary key: an API names its key
 * fields with {@code key(...)}, usually the pipeline's key, which the documents hold as fields.
 */
final class ElasticsearchBackend implements Backend {
    static final ObjectMapper JSON = JsonValues.EXACT_JSON;
    /** Elasticsearch's default {@code index.max_result_window}: from + size of a search cannot pass it. */
    static final int MAX_RESULT_WINDOW = 10_000;
    private final HttpClient http;
    private final List<URI> hosts = new ArrayList<>();
    private final String authorization;
    private final String indexPrefix;
    private final String datasourceName;
    private final int timeoutSeconds;
    private final boolean caFileGiven;

    ElasticsearchBackend(DataSource ds, int timeoutSeconds) {
        this.datasourceName = ds.name();
        this.timeoutSeconds = timeoutSeconds;
        for (String host : ds.options().getOrDefault("hosts", "").split(",")) {
            if (!host.isBlank()) {
                hosts.add(URI.create(host.strip().replaceAll("/+$", "")));
            }
        }
        if (hosts.isEmpty()) {
            throw new TapflowException("Elasticsearch datasource '" + ds.name() + "': option 'hosts' names no URL");
        }
        SSLContext tls = trust(ds, hosts);
        this.caFileGiven = tls != null;
        String user = ds.options().get("username");
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + ds.options().getOrDefault("password", "")).getBytes(StandardCharsets.UTF_8));
        this.indexPrefix = ds.options().getOrDefault("index-prefix", "");
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds));
        this.http = (tls == null ? client : client.sslContext(tls)).build();
    }

    /** The TLS context trusting option tls.ca-file's CA (as the pipelines' Elasticsearch sink does), or null without it. */
    private static SSLContext trust(DataSource ds, List<URI> hosts) {
        String caFile = ds.options().get(ElasticsearchTls.OPTION);
        if (caFile == null) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        String pem = ElasticsearchTls.readCaFile(caFile, problems);
        if (hosts.stream().anyMatch(h -> !"https".equals(h.getScheme()))) {
            problems.add("option '" + ElasticsearchTls.OPTION + "' is for https:// hosts, but 'hosts' has an http:// URL");
        }
        if (!problems.isEmpty()) {
            throw new TapflowException("Elasticsearch datasource '" + ds.name() + "': " + String.join("; ", problems));
        }
        return ElasticsearchTls.sslContext(pem);
    }

    @Override
    public Optional<TableSchema> describe(String table) {
        String index = indexPrefix + table;
        // A name that is not one plain index (a pattern, a list, _all) could read several: there is no such table.
        if (!index.matches("[a-z0-9][a-z0-9._-]*")) {
            return Optional.empty();
        }
        Answer answer = send("GET", "/" + index + "/_mapping", null);
        if (answer.status == 404) {
            return Optional.empty();
        }
        JsonNode properties = answer.ok().elements().next().path("mappings").path("properties");
        return Optional.of(new TableSchema(table, ElasticsearchFields.columns(properties), List.of()));
    }

    @Override
    public List<Map<String, Object>> find(TableSchema schema, ReadQuery q) {
        if (q.offset() + q.limit() > MAX_RESULT_WINDOW) {
            throw ProblemException.badRequest("offset paging on Elasticsearch reaches the first " + MAX_RESULT_WINDOW
                    + " documents (the index's max_result_window); page with 'cursor' instead");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("query", ElasticsearchQuery.of(q.where(), schema));
        ArrayNode sort = body.putArray("sort");
        // Missing values last in both directions, as the SQL backends sort NULLs; Keyset relies on it.
        q.order().forEach(k -> sort.addObject().set(k.field(), JSON.createObjectNode()
                .put("order", k.descending() ? "desc" : "asc").put("missing", "_last")));
        body.put("size", q.limit()).put("from", q.offset()).put("track_total_hits", false);
        body.put("timeout", timeoutSeconds + "s");
        ArrayNode source = body.putArray("_source");
        q.columns().forEach(source::add);
        JsonNode answer = send("POST", "/" + index(schema) + "/_search", body).ok();
        if (answer.path("timed_out").asBoolean(false)) {
            throw timeout();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode hit : answer.path("hits").path("hits")) {
            if (!hit.has("_source")) {
                // Without _source there is no value to return: every field would read as missing (null).
                throw new ProblemException(500, "Unrepresentable Value", "index '" + index(schema) + "' does not keep _source;"
                        + " its documents cannot be returned (enable _source, or serve another index)");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (String c : q.columns()) {
                Column column = schema.column(c);
                Object v = ElasticsearchFields.value(column, hit.path("_source").get(c));
                if (v == null) {
                    throw new ProblemException(500, "Unrepresentable Value", schema.table() + "." + c + " of the document with _id "
                            + hit.path("_id").asText() + " holds " + hit.path("_source").get(c).getNodeType().name().toLowerCase()
                            + " value that cannot be returned as " + column.type().displayName() + " (" + column.databaseType()
                            + "); correct the document, or leave the field out of the API");
                }
                row.put(c, v == ElasticsearchFields.NULL ? null : v);
            }
            rows.add(row);
        }
        return rows;
    }

    @Override
    public long count(TableSchema schema, Condition where) {
        ObjectNode body = JSON.createObjectNode();
        body.set("query", ElasticsearchQuery.of(where, schema));
        return send("POST", "/" + index(schema) + "/_count", body).ok().path("count").asLong();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient on Java 17 has nothing to close; its threads end with their connections.
    }

    private String index(TableSchema schema) {
        return indexPrefix + schema.table();
    }

    private record Answer(int status, JsonNode body, String where) {
        JsonNode ok() {
            if (status / 100 != 2) {
                // The cluster's text can carry query parts: the client learns only that the datasource failed.
                ApiLog.LOG.warn("Elasticsearch {} answered HTTP {}: {}", where, status, body.path("error").path("reason").asText(""));
                throw unavailable();
            }
            return body;
        }
    }

    /** Tries each host in turn; the first that answers decides. */
    private Answer send(String method, String path, JsonNode body) {
        IOException last = null;
        for (URI host : hosts) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host + path))
                    .timeout(Duration.ofSeconds(timeoutSeconds)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString()));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] bytes = response.body();
                return new Answer(response.statusCode(), bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes),
                        "datasource '" + datasourceName + "' " + method + " " + path);
            } catch (HttpTimeoutException e) {
                throw timeout();
            } catch (SSLException e) {
                // Not an outage but the server's configuration: publish and serve refuse the API with what to change.
                throw new TapflowException(ElasticsearchTls.handshakeFailure("Elasticsearch datasource '" + datasourceName
                        + "' (" + host + ")", caFileGiven, e.getMessage()), e);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable();
            }
        }
        ApiLog.LOG.warn("Elasticsearch datasource '{}' did not answer: {}", datasourceName, last == null ? "" : last.toString());
        throw unavailable();
    }

    private ProblemException timeout() {
        return new ProblemException(504, "Query Timeout", "the query took longer than " + timeoutSeconds + " s; narrow the filter");
    }

    private static ProblemException unavailable() {
        return new ProblemException(503, "Service Unavailable", "the datasource behind this API did not answer; try again later");
    }
}
