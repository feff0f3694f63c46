package io.tapflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.api.ApiOperator;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.List;

/**
 * A {@link Condition} as an Elasticsearch query, built node by node: field names are checked declared fields and every
 * value is a typed JSON value, so nothing from a request becomes query DSL. Semantics follow the SQL backends:
 * {@code neq} does not match a missing field, {@code like} has {@code *} as its only wildcard ({@code ?} and
 * {@code \} are literal), date values are compared as dates with an explicit ISO format.
 */
final class ElasticsearchQuery {
    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Parses the ISO text {@link #value} writes for dates, whatever format the field's mapping has. */
    private static final String ISO = "strict_date_optional_time_nanos";

    private ElasticsearchQuery() {}

    static ObjectNode of(Condition c, TableSchema schema) {
        if (c instanceof Condition.Compare cmp) {
            boolean date = isDate(schema, cmp.field());
            return switch (cmp.op()) {
                case EQ -> equal(cmp.field(), cmp.value(), date);
                case NEQ -> bool("filter", List.of(exists(cmp.field())), "must_not", equal(cmp.field(), cmp.value(), date));
                case GT -> range(cmp.field(), "gt", cmp.value(), date);
                case GTE -> range(cmp.field(), "gte", cmp.value(), date);
                case LT -> range(cmp.field(), "lt", cmp.value(), date);
                case LTE -> range(cmp.field(), "lte", cmp.value(), date);
                case LIKE -> leaf("wildcard", cmp.field(), NODES.objectNode().put("value", wildcard((String) cmp.value())));
                default -> throw new IllegalArgumentException(cmp.op().token());
            };
        }
        if (c instanceof Condition.In in) {
            boolean date = isDate(schema, in.field());
            if (date) {
                return any(in.values().stream().map(v -> equal(in.field(), v, true)).toList());
            }
            ArrayNode values = NODES.arrayNode();
            in.values().forEach(v -> values.add(value(v)));
            return leaf("terms", in.field(), values);
        }
        if (c instanceof Condition.IsNull n) {
            return n.isNull() ? bool("must_not", exists(n.field())) : exists(n.field());
        }
        if (c instanceof Condition.All all) {
            if (all.parts().isEmpty()) {
                return NODES.objectNode().set("match_all", NODES.objectNode());
            }
            return bool("filter", all.parts().stream().map(p -> of(p, schema)).toList());
        }
        return any(((Condition.Any) c).parts().stream().map(p -> of(p, schema)).toList());
    }

    /** A JSON value for a typed request value; dates and times as ISO text, which {@link #ISO} reads. */
    static JsonNode value(Object v) {
        if (v instanceof OffsetDateTime t) {
            return NODES.textNode(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t)); // always with seconds, unlike toString
        }
        if (v instanceof LocalDateTime t) {
            return NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
        }
        if (v instanceof Temporal) {
            return NODES.textNode(v.toString()); // LocalDate, LocalTime
        }
        return JsonValues.EXACT_JSON.valueToTree(v); // Long, BigDecimal (every digit), Double, Boolean, String
    }

    /** The {@code *}-pattern as an Elasticsearch wildcard pattern: {@code ?} and {@code \} escaped, {@code *} kept. */
    static String wildcard(String pattern) {
        StringBuilder out = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '?' || ch == '\\') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    private static boolean isDate(TableSchema schema, String field) {
        ColumnType t = schema.column(field).type();
        return t == ColumnType.DATE || t == ColumnType.DATETIME || t == ColumnType.TIMESTAMP;
    }

    /** A term query, or for dates a closed range on the one value (term queries take no date format). */
    private static ObjectNode equal(String field, Object v, boolean date) {
        if (date) {
            ObjectNode r = NODES.objectNode();
            r.set("gte", value(v));
            r.set("lte", value(v));
            r.put("format", ISO);
            return leaf("range", field, r);
        }
        return leaf("term", field, NODES.objectNode().set("value", value(v)));
    }

    private static ObjectNode range(String field, String op, Object v, boolean date) {
        ObjectNode r = NODES.objectNode();
        r.set(op, value(v));
        if (date) {
            r.put("format", ISO);
        }
        return leaf("range", field, r);
    }

    private static ObjectNode exists(String field) {
        return NODES.objectNode().set("exists", NODES.objectNode().put("field", field));
    }

    private static ObjectNode any(List<ObjectNode> parts) {
        if (parts.isEmpty()) {
            return NODES.objectNode().set("match_none", NODES.objectNode());
        }
        ObjectNode b = bool("should", parts);
        ((ObjectNode) b.get("bool")).put("minimum_should_match", 1);
        return b;
    }

    private static ObjectNode leaf(String kind, String field, JsonNode body) {
        return NODES.objectNode().set(kind, NODES.objectNode().set(field, body));
    }

    private static ObjectNode bool(String clause, ObjectNode part) {
        return bool(clause, List.of(part));
    }

    private static ObjectNode bool(String clause, List<ObjectNode> parts) {
        ObjectNode b = NODES.objectNode();
        b.set(clause, NODES.arrayNode().addAll(parts));
        return NODES.objectNode().set("bool", b);
    }

    private static ObjectNode bool(String clause, List<ObjectNode> parts, String clause2, ObjectNode part2) {
        ObjectNode b = bool(clause, parts);
        ((ObjectNode) b.get("bool")).set(clause2, NODES.arrayNode().add(part2));
        return b;
    }
}
