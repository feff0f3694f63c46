package io.tapflow.flink.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Listing, checking and creating the indices of an Elasticsearch target. Every index is checked before any is
 * created or changed: a missing index is created with the mapping derived from the planned columns; an existing one
 * must map each planned field to a type that takes tapflow's values, and gets the fields it lacks added.
 */
public final class ElasticsearchTargets {
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9_.+-]*");
    /**
     * For fields mapped dynamically (those of an embedded row or array of a lookup): a JSON number with a fraction is a
     * double. Elasticsearch's default, float, rounds a DOUBLE's value in the index and refuses one beyond float's
     * range (-1.7976931348623157E308 "supports only finite values"), so such a row was refused.
     */
    private static final List<Map<String, Object>> DYNAMIC_TEMPLATES = List.of(Map.of("fractions_as_double",
            Map.of("match_mapping_type", "double", "mapping", Map.of("type", "double"))));

    private ElasticsearchTargets() {}

    /**
     * Maps a column added to the source while the job runs in its target's index, before a document carries it:
     * otherwise Elasticsearch would map it by the first value it sees (a short string as text, a DECIMAL as double),
     * unlike what planning maps. Returns what was done, for the log. An existing field of the name is left alone
     * (Elasticsearch cannot change a field's type; planning a resumed job checks it).
     */
    public static String addField(DataSource ds, String table, Column column) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        String index = options.index(table);
        ElasticsearchFieldMapping mapping = ElasticsearchFieldMapping.of(column).orElseThrow(() -> new TapflowException(
                "index '" + index + "': column '" + column.name() + "' of type " + column.columnType()
                        + " has no Elasticsearch mapping in tapflow; exclude it or change its type with changeType"));
        return call(options, client -> {
            client.ok("PUT", "/" + encode(index) + "/_mapping", ElasticsearchClient.JSON.writeValueAsString(
                    Map.of("properties", Map.of(column.name(), mapping.toMap()))));
            return "index '" + index + "' maps " + column.name() + " as " + mapping.describe();
        });
    }

    /** The indices the user can see (not the hidden ones starting with a dot), sorted. */
    public static List<String> listIndices(DataSource ds) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        return call(options, client -> {
            List<String> indices = new ArrayList<>();
            client.ok("GET", "/_cat/indices?format=json&h=index&s=index", null)
                    .forEach(row -> indices.add(row.path("index").asText()));
            return indices.stream().filter(i -> !i.startsWith(".")).toList();
        });
    }

    /** Checks every target index, then creates the missing ones and adds missing fields; returns the created indices. */
    public static List<String> prepare(DataSource ds, List<TargetTable> tables) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        return call(options, client -> {
            checkVersion(client, options);
            List<String> problems = new ArrayList<>();
            Map<String, Map<String, Object>> toCreate = new LinkedHashMap<>();
            Map<String, Map<String, Object>> toExtend = new LinkedHashMap<>();
            for (TargetTable table : tables) {
                String index = options.index(table.name());
                if (!INDEX_NAME.matcher(index).matches() || index.length() > 255) {
                    problems.add("index name '" + index + "' (target table " + table.name() + ") is not a valid"
                            + " Elasticsearch index name: lower case letters, digits and _ . + - only, not starting"
                            + " with _ - +; lower-case the names with a rename_tables step of case \"lower\""
                            + " (renameTables(\"\", \"\", NameCase.LOWER), rename_tables(case='lower')), or"
                            + " writeTo(es.table(\"name\"))");
                    continue;
                }
                Map<String, Object> wanted = wantedFields(table, index, problems);
                ElasticsearchClient.Answer existing = client.send("GET", "/" + encode(index) + "/_mapping", null);
                if (existing.status() == 404) {
                    toCreate.put(index, wanted);
                } else if (existing.status() == 200) {
                    Map<String, Object> missing = compare(index, table, wanted, existing.body(), problems);
                    if (!missing.isEmpty()) {
                        toExtend.put(index, missing);
                    }
                } else {
                    problems.add("index '" + index + "': reading its mapping failed with HTTP " + existing.status() + ": "
                            + ElasticsearchClient.reason(existing.body()));
                }
            }
            if (!problems.isEmpty()) {
                throw new InvalidDefinitionException(options.where(), problems);
            }
            for (Map.Entry<String, Map<String, Object>> e : toCreate.entrySet()) {
                client.ok("PUT", "/" + encode(e.getKey()), ElasticsearchClient.JSON.writeValueAsString(
                        Map.of("mappings", Map.of("properties", e.getValue(), "dynamic_templates", DYNAMIC_TEMPLATES))));
            }
            for (Map.Entry<String, Map<String, Object>> e : toExtend.entrySet()) {
                client.ok("PUT", "/" + encode(e.getKey()) + "/_mapping",
                        ElasticsearchClient.JSON.writeValueAsString(Map.of("properties", e.getValue())));
            }
            return List.copyOf(toCreate.keySet());
        });
    }

    /** The index's fields and their types (dates with their format), in mapping order; for the shell's desc. */
    public static Map<String, String> fieldTypes(DataSource ds, String index) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        return call(options, client -> {
            Map<String, String> types = new LinkedHashMap<>();
            JsonNode answer = client.ok("GET", "/" + encode(index) + "/_mapping", null);
            answer.path(index).path("mappings").path("properties").fields().forEachRemaining(f -> types.put(f.getKey(),
                    ElasticsearchFieldMapping.existing(ElasticsearchClient.JSON.convertValue(f.getValue(), Map.class)).describe()));
            return types;
        });
    }

    /** The first {@code n} documents of the index, {@code _id} first, values as JSON text; for the shell's peek. */
    public static List<Map<String, String>> documents(DataSource ds, String index, int n) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        return call(options, client -> {
            List<Map<String, String>> docs = new ArrayList<>();
            client.ok("GET", "/" + encode(index) + "/_search?size=" + n + "&sort=_doc", null).path("hits").path("hits")
                    .forEach(hit -> {
                        Map<String, String> doc = new LinkedHashMap<>();
                        doc.put("_id", hit.path("_id").asText());
                        hit.path("_source").fields().forEachRemaining(f -> doc.put(f.getKey(),
                                f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
                        docs.add(doc);
                    });
            return docs;
        });
    }

    /** How many documents the index holds (as of its last refresh). */
    public static long count(DataSource ds, String index) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        return call(options, client -> client.ok("GET", "/" + encode(index) + "/_count", null).path("count").asLong());
    }

    /**
     * Deletes the documents of a target table's index in scope (every one when its only source table was truncated
     * under the schema-change policy evolve); returns what was done, for the log.
     */
    public static String emptyIndex(DataSource ds, String table, TruncateScope scope) {
        ElasticsearchOptions options = ElasticsearchOptions.of(ds);
        return call(options, client -> emptyIndex(client, options, table, scope));
    }

    /**
     * As {@link #emptyIndex(DataSource, String, TruncateScope)} on an open client. A delete-by-query only sees what the index's last
     * refresh made searchable, so the index is refreshed first: documents written just before the TRUNCATE (already
     * accepted by a bulk request, but not yet searchable) are deleted too. {@code refresh=true} makes the deletions
     * searchable before the rows after the TRUNCATE are written, and a version conflict or any failed document fails
     * the TRUNCATE (nothing writes the index meanwhile, so there should be none).
     */
    static String emptyIndex(ElasticsearchClient client, ElasticsearchOptions options, String table, TruncateScope scope)
            throws IOException {
        String index = encode(options.index(table));
        client.ok("POST", "/" + index + "/_refresh", null);
        ObjectNode query = ElasticsearchClient.JSON.createObjectNode();
        if (scope.wholeTable()) {
            query.putObject("query").putObject("match_all");
        } else {
            query.putObject("query").putObject("term").put(exactField(client, options.index(table), scope.field()), scope.value());
        }
        JsonNode answer = client.ok("POST", "/" + index + "/_delete_by_query?refresh=true", query.toString());
        if (answer.path("failures").size() > 0 || answer.path("version_conflicts").asLong() > 0) {
            throw new IOException("emptying index '" + options.index(table) + "' (target table " + table + ") failed: "
                    + answer.path("version_conflicts").asLong() + " version conflicts, failures: " + answer.path("failures"));
        }
        return "delete-by-query on index '" + options.index(table) + "'" + (scope.wholeTable() ? "" : " where "
                + scope.field() + " is '" + scope.value() + "'") + " (" + answer.path("deleted").asLong() + " documents)";
    }

    /** The field that holds a string field's exact value: itself when a keyword, else its keyword sub-field. */
    private static String exactField(ElasticsearchClient client, String index, String field) throws IOException {
        JsonNode mapping = client.ok("GET", "/" + encode(index) + "/_mapping/field/" + encode(field), null)
                .path(index).path("mappings").path(field).path("mapping").path(field);
        if ("keyword".equals(mapping.path("type").asText())) {
            return field;
        }
        if ("keyword".equals(mapping.path("fields").path("keyword").path("type").asText())) {
            return field + ".keyword";
        }
        throw new IOException("index '" + index + "' maps field '" + field + "' as " + mapping.path("type").asText("nothing")
                + " without a keyword sub-field, so its exact values cannot be matched");
    }

    private static void checkVersion(ElasticsearchClient client, ElasticsearchOptions options) throws IOException {
        JsonNode root = client.ok("GET", "/", null);
        String version = root.path("version").path("number").asText();
        boolean openSearch = "opensearch".equals(root.path("version").path("distribution").asText());
        if (!(version.startsWith("7.") || openSearch && version.startsWith("1."))) {
            throw new TapflowException(options.where() + ": the cluster runs " + (openSearch ? "OpenSearch " : "Elasticsearch ")
                    + version + "; tapflow writes to Elasticsearch 7.x (and OpenSearch 1.x)");
        }
    }

    private static Map<String, Object> wantedFields(TargetTable table, String index, List<String> problems) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Column c : table.columns()) {
            ElasticsearchFieldMapping.of(c).ifPresentOrElse(m -> fields.put(c.name(), m.toMap()),
                    () -> problems.add("index '" + index + "': column '" + c.name() + "' of type " + c.columnType()
                            + " has no Elasticsearch mapping in tapflow; exclude it or change its type with changeType"));
        }
        return fields;
    }

    /** Reports fields whose existing type cannot take tapflow's values; returns the planned fields the index lacks. */
    private static Map<String, Object> compare(String index, TargetTable table, Map<String, Object> wanted,
                                               JsonNode mappingAnswer, List<String> problems) {
        JsonNode properties = mappingAnswer.elements().hasNext()
                ? mappingAnswer.elements().next().path("mappings").path("properties") : ElasticsearchClient.JSON.nullNode();
        Map<String, Object> missing = new LinkedHashMap<>();
        for (Column c : table.columns()) {
            Object mapping = wanted.get(c.name());
            if (mapping == null) {
                continue;
            }
            JsonNode field = properties.path(c.name());
            if (field.isMissingNode() || field.isNull()) {
                missing.put(c.name(), mapping);
                continue;
            }
            @SuppressWarnings("unchecked")
            ElasticsearchFieldMapping have = ElasticsearchFieldMapping.existing(
                    ElasticsearchClient.JSON.convertValue((ObjectNode) field, Map.class));
            ElasticsearchFieldMapping want = ElasticsearchFieldMapping.of(c).orElseThrow();
            if (!have.accepts(want)) {
                problems.add("index '" + index + "' maps field '" + c.name() + "' as " + have.describe() + ", but tapflow"
                        + " writes column '" + c.name() + "' (" + c.columnType() + ") as " + want.describe()
                        + "; change the field's mapping (a new index and a reindex), write to another index, or rename"
                        + " or change the type of the field in the pipeline");
            }
        }
        return missing;
    }

    private static String encode(String index) {
        return URLEncoder.encode(index, StandardCharsets.UTF_8);
    }

    /** An action on a client of the datasource, closed afterwards. */
    private interface ClientAction<T> {
        T apply(ElasticsearchClient client) throws IOException;
    }

    private static <T> T call(ElasticsearchOptions options, ClientAction<T> action) {
        try (ElasticsearchClient client = new ElasticsearchClient(options)) {
            return action.apply(client);
        } catch (IOException e) {
            throw new TapflowException(options.where() + ": " + e.getMessage(), e);
        }
    }
}
