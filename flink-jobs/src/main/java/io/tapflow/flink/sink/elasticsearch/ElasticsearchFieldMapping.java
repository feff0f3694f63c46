package io.tapflow.flink.sink.elasticsearch;

import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Elasticsearch field type of a planned column, in the form of a mapping entry ({@code {"type": "long"}}).
 * DECIMAL(p,s) with p up to 15 becomes {@code scaled_float} with factor 10^s: every such value is exact as a double
 * and as a scaled long, so queries and aggregations see the exact value. Wider decimals (and BIGINT UNSIGNED,
 * BIT(64)) become {@code keyword}: a double would round them, so they are indexed as their exact text (the document
 * holds the exact text in both cases). Dates carry explicit formats matching {@link io.tapflow.flink.sink.JsonValues}.
 * A PostgreSQL array column is mapped as its element type, since every Elasticsearch field takes arrays.
 */
record ElasticsearchFieldMapping(String type, Map<String, Object> extra) {
    static final String DATE_FORMAT = "yyyy-MM-dd";
    static final String DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS";
    static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSX||yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSX";
    /** Strings up to this many characters are keywords; longer ones full text, with a keyword sub-field for sorting. */
    static final int KEYWORD_MAX_LENGTH = 256;
    private static final int EXACT_DOUBLE_DIGITS = 15;
    /** A PostgreSQL array declaration as format_type prints it: "numeric(12,4)[]", "timestamp(3) with time zone[]". */
    private static final Pattern ARRAY_DECLARATION = Pattern.compile(
            "(?<base>[a-z ]+?)(?:\\((?<p>\\d+)(?:,(?<s>\\d+))?\\))?(?<zone> with(?:out)? time zone)?\\[]");

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
            // Every Elasticsearch field holds arrays: an array column is mapped as its element (NULL elements and
            // empty arrays stay in the document's _source as they are; ES indexes the other elements).
            case Column.ARRAY -> arrayElement(c).flatMap(ElasticsearchFieldMapping::of).orElse(null);
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

    /** The element of a PostgreSQL array column as a column of tapflow's vocabulary; empty for another declaration. */
    static Optional<Column> arrayElement(Column array) {
        Matcher m = ARRAY_DECLARATION.matcher(array.columnType());
        if (!m.matches()) {
            return Optional.empty();
        }
        int p = m.group("p") == null ? -1 : Integer.parseInt(m.group("p"));
        int s = m.group("s") == null ? (p < 0 ? -1 : 0) : Integer.parseInt(m.group("s"));
        boolean zoned = " with time zone".equals(m.group("zone"));
        String type = switch (m.group("base")) {
            case "smallint" -> "smallint";
            case "integer" -> "int";
            case "bigint" -> "bigint";
            case "numeric" -> "decimal";
            case "real" -> "float";
            case "double precision" -> "double";
            case "boolean" -> "boolean";
            case "date" -> "date";
            case "timestamp" -> zoned ? "timestamp" : "datetime";
            case "uuid" -> "uuid";
            case "json", "jsonb" -> "json";
            case "text", "bpchar" -> "text";
            case "character varying" -> p < 0 ? "text" : "varchar";
            case "character" -> "char";
            default -> null;
        };
        boolean sized = "varchar".equals(type) || "char".equals(type);
        return Optional.ofNullable(type).map(t -> new Column(array.name(), t, array.columnType(), sized ? p : -1,
                sized ? -1 : p, sized ? -1 : s, array.nullable(), false));
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
