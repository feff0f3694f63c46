package io.tapflow.dsl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of a {@link SourceSpec}: {@code "tables"} stays the list of names it always was unless patterns
 * select tables, so definitions without patterns read and write exactly as before.
 */
final class SourceSpecJson {
    private static final Set<String> SOURCE_FIELDS = Set.of("datasource", "tables", "query");
    private static final Set<String> SELECTION_FIELDS = Set.of("include", "exclude", "names");

    private SourceSpecJson() {}

    static final class Writer extends JsonSerializer<SourceSpec> {
        @Override
        public void serialize(SourceSpec s, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("datasource", s.datasource());
            g.writeFieldName("tables");
            if (s.include().isEmpty() && s.exclude().isEmpty()) {
                writeList(g, s.tables());
            } else {
                g.writeStartObject();
                g.writeFieldName("include");
                writeList(g, s.include());
                if (!s.exclude().isEmpty()) {
                    g.writeFieldName("exclude");
                    writeList(g, s.exclude());
                }
                if (!s.tables().isEmpty()) {
                    g.writeFieldName("names");
                    writeList(g, s.tables());
                }
                g.writeEndObject();
            }
            if (s.hasQuery()) {
                g.writeStringField("query", s.query());
            }
            g.writeEndObject();
        }

        private static void writeList(JsonGenerator g, List<String> values) throws IOException {
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    static final class Reader extends JsonDeserializer<SourceSpec> {
        @Override
        public SourceSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            if (!node.isObject()) {
                return ctxt.reportInputMismatch(SourceSpec.class, "a source is an object {\"datasource\": ..., \"tables\": [...]}");
            }
            unknownField(node, SOURCE_FIELDS, "a source", ctxt);
            String datasource = node.path("datasource").isTextual() ? node.get("datasource").asText() : null;
            JsonNode query = node.path("query");
            if (!query.isMissingNode() && !query.isNull() && !query.isTextual()) {
                ctxt.reportInputMismatch(SourceSpec.class, "\"query\" must be a text: a SELECT");
            }
            String select = query.isTextual() ? query.asText() : null;
            JsonNode tables = node.path("tables");
            if (tables.isObject()) {
                unknownField(tables, SELECTION_FIELDS, "\"tables\"", ctxt);
                return new SourceSpec(datasource, strings(tables.path("names"), "names", ctxt),
                        strings(tables.path("include"), "include", ctxt), strings(tables.path("exclude"), "exclude", ctxt), select);
            }
            return new SourceSpec(datasource, strings(tables, "tables", ctxt), java.util.List.of(), java.util.List.of(), select);
        }

        private static void unknownField(JsonNode node, Set<String> allowed, String where, DeserializationContext ctxt)
                throws IOException {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    ctxt.reportInputMismatch(SourceSpec.class, "unknown field '" + name + "' in " + where
                            + ClosestName.hint(name, allowed) + "; allowed here: " + allowed.stream().sorted().toList());
                }
            }
        }

        private static List<String> strings(JsonNode node, String field, DeserializationContext ctxt) throws IOException {
            List<String> out = new ArrayList<>();
            if (node.isMissingNode() || node.isNull()) {
                return out;
            }
            if (!node.isArray()) {
                // "tables": "customer" is the usual slip: show the list form with the user's own value
                String example = node.isTextual() ? "[ " + node + " ]" : "[ \"a\", \"b\" ]";
                ctxt.reportInputMismatch(SourceSpec.class, "\"" + field + "\" must be a list of texts in brackets, e.g. \""
                        + field + "\" : " + example);
            }
            for (JsonNode v : node) {
                if (!v.isTextual()) {
                    ctxt.reportInputMismatch(SourceSpec.class, "\"" + field + "\" must be a list of texts, found " + v);
                }
                out.add(v.asText());
            }
            return out;
        }
    }
}
