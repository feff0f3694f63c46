package io.tapflow.api;

import io.tapflow.dsl.api.ApiParam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3.1 document of the served APIs, with each field's schema from its table's real column type. */
final class OpenApiDocument {
    private OpenApiDocument() {}

    static Map<String, Object> of(List<PublishedApi> apis) {
        Map<String, Object> paths = new LinkedHashMap<>();
        Map<String, Object> schemas = new LinkedHashMap<>();
        for (PublishedApi api : apis) {
            schemas.put(api.name(), rowSchema(api));
            Map<String, Object> rowRef = Map.of("$ref", "#/components/schemas/" + api.name());
            paths.put("/api/" + api.name(), Map.of("get", operation(api, "list" + id(api), "Rows of " + api.api().datasource()
                    + "." + api.api().table(), listParameters(api), Map.of("type", "object", "properties", Map.of(
                    "data", Map.of("type", "array", "items", rowRef),
                    "next", Map.of("type", List.of("string", "null"), "description", "cursor of the next page; null on the last"),
                    "count", Map.of("type", "integer", "description", "with count=exact: the number of matching rows"))))));
            List<Object> keyParam = List.of(Map.of("name", "key", "in", "path", "required", true,
                    "description", "values of " + String.join(", ", api.key()) + (api.key().size() > 1 ? ", separated by commas" : ""),
                    "schema", api.key().size() == 1 ? fieldSchema(api.column(api.key().get(0))) : Map.of("type", "string")));
            paths.put("/api/" + api.name() + "/{key}", Map.of("get", operation(api, "get" + id(api), "One row by key", keyParam, rowRef)));
            if (api.api().updatedColumn() != null || api.api().changesFrom() != null) {
                String summary = api.api().changesFrom() != null
                        ? "Server-Sent Events from Kafka topic " + api.api().changesFrom().topic() + ": each inserted or updated row"
                        + " (event 'change', data: the row) and each deleted one (event 'delete', data: its key)"
                        : "Server-Sent Events: each inserted or updated row (event 'change', data: the row), by "
                        + api.api().updatedColumn() + " (deletes are not seen)";
                paths.put("/api/" + api.name() + "/changes", Map.of("get", Map.of("operationId", "changes" + id(api),
                        "summary", summary + "; send Last-Event-ID to resume", "tags", List.of(api.name()),
                        "responses", Map.of("200", Map.of("description", "an endless event stream",
                                "content", Map.of("text/event-stream", Map.of("schema", Map.of("type", "string"))))))));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "tapflow data APIs", "version", "1"));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas,
                "securitySchemes", Map.of("apiKey", Map.of("type", "http", "scheme", "bearer", "description", "a key from 'tapflow api key create'"))));
        doc.put("security", List.of(Map.of("apiKey", List.of())));
        return doc;
    }

    private static String id(PublishedApi api) {
        return Character.toUpperCase(api.name().charAt(0)) + api.name().substring(1).replaceAll("[^A-Za-z0-9]", "_");
    }

    private static Map<String, Object> operation(PublishedApi api, String operationId, String summary, List<Object> params, Object schema) {
        Map<String, Object> problem = Map.of("description", "problem details (RFC 9457)",
                "content", Map.of("application/problem+json", Map.of("schema", Map.of("type", "object"))));
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "OK", "content", Map.of("application/json", Map.of("schema", schema))));
        for (String status : List.of("400", "401", "403", "404", "429")) {
            responses.put(status, problem);
        }
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", operationId);
        op.put("summary", summary);
        op.put("tags", List.of(api.name()));
        op.put("parameters", params);
        op.put("responses", responses);
        return op;
    }

    private static List<Object> listParameters(PublishedApi api) {
        List<Object> out = new ArrayList<>();
        for (String f : api.api().filterable()) {
            out.add(query(f, "filter on " + f + " (" + api.column(f).type().displayName() + "): eq.v, neq.v, gt.v, gte.v, lt.v, lte.v,"
                    + " in.(a,b), like.pat*, is.null", Map.of("type", "string")));
        }
        for (ApiParam p : api.api().params()) {
            out.add(query(p.name(), p.field() + " " + p.op() + " this value", fieldSchema(api.column(p.field()))));
        }
        out.add(query("fields", "comma-separated fields to return: " + String.join(", ", api.api().fields()), Map.of("type", "string")));
        out.add(query("order", "e.g. " + RequestParser.sortable(api).get(0) + ".desc; sortable: " + String.join(", ", RequestParser.sortable(api)),
                Map.of("type", "string")));
        out.add(query("limit", "rows per page", Map.of("type", "integer", "minimum", 1, "maximum", RequestParser.MAX_LIMIT,
                "default", RequestParser.DEFAULT_LIMIT)));
        out.add(query("cursor", "the 'next' value of the previous page", Map.of("type", "string")));
        out.add(query("offset", "offset paging instead of the cursor", Map.of("type", "integer", "minimum", 0)));
        out.add(query("count", "exact: also count the matching rows", Map.of("type", "string", "enum", List.of("exact"))));
        return out;
    }

    private static Map<String, Object> query(String name, String description, Map<String, Object> schema) {
        return Map.of("name", name, "in", "query", "required", false, "description", description, "schema", schema);
    }

    private static Map<String, Object> rowSchema(PublishedApi api) {
        Map<String, Object> props = new LinkedHashMap<>();
        api.api().fields().forEach(f -> props.put(f, fieldSchema(api.column(f))));
        return Map.of("type", "object", "properties", props);
    }

    static Map<String, Object> fieldSchema(Column c) {
        Map<String, Object> s = new LinkedHashMap<>();
        String type = c.type().openApiType();
        if (type != null) {
            s.put("type", c.nullable() ? List.of(type, "null") : type);
        }
        if (c.type().openApiFormat() != null) {
            s.put("format", c.type().openApiFormat());
        }
        s.put("description", c.databaseType() + (c.type() == ColumnType.DECIMAL ? "; an exact decimal, every digit as written" : ""));
        return s;
    }
}
