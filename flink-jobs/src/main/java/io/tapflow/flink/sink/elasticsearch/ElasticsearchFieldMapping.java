package io.tapflow.flink.sink.elasticsearch;

import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Elasticsearch field type of a planned column, in the form of a mapping entry ({@code {"type": "long"}}).
 * DECIMAL(p,s) with p up to 15 becomes {@code scaled_float} with factor 10^s: every such value is exact as a double
 * and as a scaled long, so queries and aggregations see the exact value. Wider decimals (and BIGINT UNSIGNED,
 * BIT(64)) become {@code keyword}: a double would round them, so they are indexed as their exact text (the document
 * holds the exact text in both cases). Dates carry explicit formats matching {@link io.tapflow.flink.sink.JsonValues}.
 */
record ElasticsearchFieldMapping(String type, Map<String, Object> extra) {
    static final String DATE_FORMAT = "yyyy-MM-dd";
    static final String DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS";
    static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSX||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX";
    /** Strings up to this many characters are keywords; longer ones full text, with a keyword sub-field for sorting. */
    static final int KEYWORD_MAX_LENGTH = 256;
    private static final int EXACT_DOUBLE_DIGITS = 15;

    private static final Set<String> INTEGRAL = Set.of("byte", "short", "integer", "long");
    private static final Set<String> FLOATING = Set.of("half_float", "float", "double", "scaled_float");
    private static final Set<String> TEXT = Set.of("keyword", "text", "wildcard");

    ElasticsearchFieldMapping {
        extra = Map.copyOf(extra);
    }

    /** The mapping of a column, or empty when tapflow cannot write its type to Elasticsearch. */
    static Optional<ElasticsearchFieldMapping> of(Column c) {
        return Optional.ofNullable(switch (c.dataType()) {
            case "tinyint", "smallint", "mediumint", "year" -> plain("integer");
            case "int", "integer" -> plain(c.unsigned() ? "long" : "integer");
            case "bigint" -> c.unsigned() ? plain("keyword") : plain("long");
            case "decimal", "numeric" -> c.precision() > 0 && c.precision() <= EXACT_DOUBLE_DIGITS
                    ? new ElasticsearchFieldMapping("scaled_float",
                            Map.of("scaling_factor", BigDecimal.TEN.pow(Math.max(0, c.scale())).doubleValue()))
                    : plain("keyword");
            case "float" -> plain("float");
            case "double", "real" -> plain("double");
            case "boolean", "bool" -> plain("boolean");
            case "bit" -> c.precision() <= 1 ? plain("boolean") : c.precision() < 64 ? plain("long") : plain("keyword");
            case "char", "varchar" -> c.length() > 0 && c.length() <= KEYWORD_MAX_LENGTH ? plain("keyword") : longText();
            case "tinytext", "text", "mediumtext", "longtext", "json", "tsvector", "xml" -> longText();
            // An embedded row or array (lookup): its fields are mapped dynamically, as ES does for objects.
            case Column.DOCUMENT -> plain("object");
            case "enum", "set", "uuid", "time", "time_of_day", "inet", "cidr", "macaddr", "macaddr8", "interval" -> plain("keyword");
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> plain("binary");
            // MySQL's SRID + WKB bytes (see MySqlColumnTypes), as base64 like any binary.
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> plain("binary");
            case "date" -> date(DATE_FORMAT);
            case "datetime" -> date(DATETIME_FORMAT);
            case "timestamp" -> date(TIMESTAMP_FORMAT);
            default -> null;
        });
    }

    /** Parses an existing index's field mapping (its "type" and, for dates, "format"). */
    static ElasticsearchFieldMapping existing(Map<String, Object> field) {
        Object type = field.get("type");
        Map<String, Object> extra = new LinkedHashMap<>();
        if (field.get("format") != null) {
            extra.put("format", field.get("format"));
        }
        // A field with sub-properties and no type is an object.
        return new ElasticsearchFieldMapping(type == null ? "object" : type.toString(), extra);
    }

    /** The mapping entry as sent to Elasticsearch. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        map.putAll(extra);
        return map;
    }

    /**
     * Whether an existing field of this mapping takes the values tapflow writes for {@code wanted}: the same type,
     * any integer type for integers (a narrower one refuses the values out of its range, which are then errors of
     * their rows), double for the numbers that fit it, a string type for anything but bytes (ES indexes the text),
     * or a date whose formats include tapflow's.
     */
    boolean accepts(ElasticsearchFieldMapping wanted) {
        String w = wanted.type;
        if (type.equals(w)) {
            return !w.equals("date") || formatCovers(wanted);
        }
        if (TEXT.contains(type)) {
            return !w.equals("binary");
        }
        if (INTEGRAL.contains(type) && INTEGRAL.contains(w)) {
            return true;
        }
        if (type.equals("double") && (w.equals("scaled_float") || w.equals("float") || w.equals("integer"))) {
            return true;
        }
        return type.equals("date_nanos") && w.equals("date") && formatCovers(wanted);
    }

    private boolean formatCovers(ElasticsearchFieldMapping wanted) {
        Object mine = extra.get("format");
        Object theirs = wanted.extra.get("format");
        if (mine == null) {
            return false; // ES's default format (strict_date_optional_time||epoch_millis) differs from tapflow's
        }
        return Set.of(mine.toString().split("\\|\\|")).containsAll(Set.of(theirs.toString().split("\\|\\|")));
    }

    /** For messages: the type, with its format where it has one. */
    String describe() {
        return extra.containsKey("format") ? type + " (format " + extra.get("format") + ")" : type;
    }

    private static ElasticsearchFieldMapping plain(String type) {
        return new ElasticsearchFieldMapping(type, Map.of());
    }

    private static ElasticsearchFieldMapping date(String format) {
        return new ElasticsearchFieldMapping("date", Map.of("format", format));
    }

    private static ElasticsearchFieldMapping longText() {
        return new ElasticsearchFieldMapping("text",
                Map.of("fields", Map.of("keyword", Map.of("type", "keyword", "ignore_above", KEYWORD_MAX_LENGTH))));
    }
}
