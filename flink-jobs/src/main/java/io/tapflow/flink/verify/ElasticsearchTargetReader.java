package io.tapflow.flink.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchClient;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchIds;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an Elasticsearch index (one per target table) as the Elasticsearch sink writes it: each document's
 * {@code _source}, in key order by a search sorted on the key fields and paged with {@code search_after} (numbers by
 * value, keyword by code point, as {@link KeyOrder} compares); one key by its {@code _id} (a real-time GET, so a
 * document written a moment ago is seen before the index refreshes). Key fields must sort uniquely: a text key is
 * sorted by its {@code keyword} sub-field, which holds values up to 256 characters.
 */
final class ElasticsearchTargetReader implements JsonTargetReader {
    private static final int PAGE = 1_000;
    private final ElasticsearchOptions options;
    private final ElasticsearchClient client;

    ElasticsearchTargetReader(DataSource resolvedDataSource) {
        this.options = ElasticsearchOptions.of(resolvedDataSource);
        this.client = new ElasticsearchClient(options);
    }

    @Override
    public RowCursor rows(TargetTable table) {
        String index = options.index(table.name());
        ArrayNode sort = sortFields(table, index);
        return new RowCursor() {
            private final Deque<JsonNode> page = new ArrayDeque<>();
            private JsonNode after;
            private boolean last;

            @Override
            public Map<String, Object> next() {
                if (page.isEmpty() && !last) {
                    fetch();
                }
                JsonNode hit = page.poll();
                return hit == null ? null : JsonTargetValues.row(hit.path("_source"), table);
            }

            private void fetch() {
                ObjectNode search = JsonTargetValues.JSON.createObjectNode().put("size", PAGE);
                search.set("sort", sort);
                if (after != null) {
                    search.set("search_after", after);
                }
                JsonNode hits = call(() -> client.ok("POST", "/" + encode(index) + "/_search", search.toString()))
                        .path("hits").path("hits");
                hits.forEach(page::add);
                last = hits.size() < PAGE;
                if (!hits.isEmpty()) {
                    after = hits.get(hits.size() - 1).path("sort");
                }
            }

            @Override
            public void close() {}
        };
    }

    /** Each key field ascending; a text field by its keyword sub-field (text itself cannot be sorted). */
    private ArrayNode sortFields(TargetTable table, String index) {
        JsonNode properties = call(() -> client.ok("GET", "/" + encode(index) + "/_mapping", null))
                .path(index).path("mappings").path("properties");
        ArrayNode sort = JsonTargetValues.JSON.createArrayNode();
        for (String key : table.keyFields()) {
            JsonNode field = properties.path(key);
            String type = field.path("type").asText();
            String sortField = key;
            if (type.equals("text") && field.path("fields").path("keyword").isObject()) {
                sortField = key + ".keyword";
            } else if (type.equals("text") || type.equals("binary") || field.isMissingNode()) {
                throw new TapflowException("index '" + index + "' cannot be read in key order: key field '" + key + "' is "
                        + (field.isMissingNode() ? "not in its mapping" : "mapped as " + type + ", which Elasticsearch cannot sort")
                        + "; tapflow verify cannot compare it");
            }
            sort.addObject().put(sortField, "asc");
        }
        return sort;
    }

    @Override
    public Map<String, Object> row(TargetTable table, RowKey key) {
        Map<String, Object> written = new LinkedHashMap<>();
        for (int i = 0; i < key.size(); i++) {
            String field = table.keyFields().get(i);
            written.put(field, JsonTargetValues.asWritten(table, field, key.get(i)));
        }
        String id = ElasticsearchIds.of(RowKey.of(table.keyFields(), written, table.name()));
        String path = "/" + encode(options.index(table.name())) + "/_doc/" + encode(id);
        ElasticsearchClient.Answer answer = call(() -> client.send("GET", path, null));
        if (answer.status() == 404 || !answer.body().path("found").asBoolean(false)) {
            return null;
        }
        return JsonTargetValues.row(answer.body().path("_source"), table);
    }

    @Override
    public long count(TargetTable table) {
        return call(() -> client.ok("GET", "/" + encode(options.index(table.name())) + "/_count", null)).path("count").asLong();
    }

    /** A request to the cluster. */
    private interface IoCall<T> {
        T send() throws IOException;
    }

    private <T> T call(IoCall<T> request) {
        try {
            return request.send();
        } catch (IOException e) {
            throw new TapflowException(options.where() + ": " + e.getMessage(), e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20"); // a path, not a form
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
