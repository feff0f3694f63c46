package io.tapflow.flink.source.postgres;

import io.tapflow.flink.schema.Column;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Describes PostgreSQL columns in the type vocabulary of {@link Column} (MySQL's type names), which the target
 * dialects map to their own types: int2/int4/int8 as smallint/int/bigint, numeric as decimal, float4/float8 as
 * float/double, bool as boolean, varchar/bpchar/text as varchar/char/text, bytea as longblob, date, time as
 * time_of_day (declared time(p) in MySQL),
 * timestamp (no zone, a wall-clock value) as datetime, timestamptz (an instant) as timestamp, json/jsonb as json and
 * uuid as uuid (text in MySQL); an enum type's value is its label, a text (varchar(63): PostgreSQL's labels hold at
 * most 63 bytes). The network types inet, cidr, macaddr and macaddr8 are their server text ({@code 2001:db8::1/64},
 * {@code 08:00:2b:01:02:03}), declared with their own type in PostgreSQL targets and as a varchar wide enough for
 * the longest such text elsewhere; xml is its text, xml in PostgreSQL targets and longtext in MySQL; citext is text;
 * bpchar without a length is text (it holds any length); tsvector is its text ({@code 'fox':4 'quick':2}), tsvector in PostgreSQL targets
 * and longtext in MySQL. An interval is PostgreSQL's ISO 8601 text of it ({@code P1Y2M3DT4H5M6.78S}, each part with
 * its own sign), interval in PostgreSQL targets and a varchar elsewhere: months and days are no fixed number of seconds.
 */
final class PostgresColumnTypes {
    /** What {@link #describe} takes for any enum type (CREATE TYPE ... AS ENUM), whose udt_name is the type's own name. */
    static final String ENUM = "enum";
    /** The PostgreSQL types (udt_name) a source table may have; domains count as their base type. */
    static final Set<String> SUPPORTED = new TreeSet<>(Set.of("int2", "int4", "int8", "numeric", "float4", "float8", "bool",
            "varchar", "bpchar", "text", "bytea", "date", "time", "timestamp", "timestamptz", "json", "jsonb", "uuid", ENUM,
            "inet", "cidr", "macaddr", "macaddr8", "tsvector", "interval", "xml", "citext"));

    /**
     * The element types (udt_name) of the arrays a source table may have; such an array's udt_name is "_" + it. Their
     * values arrive as the server's array text ({@link PostgresArrayColumns}), which {@link PostgresArrayLiteral} reads
     * element by element, as the same row values as a column of the element type.
     */
    static final Set<String> ARRAY_ELEMENTS = new TreeSet<>(Set.of("varchar", "bpchar", "text", "int2", "int4", "int8",
            "numeric", "float4", "float8", "bool", "date", "timestamp", "timestamptz", "uuid", "json", "jsonb"));

    private PostgresColumnTypes() {}

    /**
     * Why a type is not read, where there is more to say than that it is not supported: each of these was tried.
     *
     * @param typtype pg_type.typtype of the column's type ({@code c} for a composite type)
     */
    static String why(String udtName, String typtype) {
        return switch (udtName) {
            case "money" -> ": no reader gives its exact value (the snapshot's JDBC driver reads money as a double "
                    + "parsed from the locale's text, which fails from 1,000 on, and the change stream reads it through a "
                    + "double, which loses cents beyond 15 digits); ALTER TABLE ... ALTER COLUMN ... TYPE numeric(19,2) "
                    + "keeps every value";
            case "timetz" -> ": the change stream turns a time with time zone into UTC and drops its offset (10:00+02 "
                    + "arrives as 08:00Z, which PostgreSQL holds as a different value) and the snapshot reads it without "
                    + "offset, to the millisecond";
            default -> "c".equals(typtype) ? ": a composite type (CREATE TYPE ... AS (...)) has no row value in tapflow"
                    : "";
        };
    }

    /**
     * Why a column of this type cannot even be left unread, when that is so: money, whose value the snapshot reads
     * (it selects every column) even when no step sees it, and fails on from 1,000 on.
     */
    static Optional<String> unreadable(String udtName, String typtype) {
        return udtName.equals("money") ? Optional.of("the snapshot reads every column of the table, so excluding the "
                + "column does not help") : Optional.empty();
    }

    /**
     * An array column (udt_name {@code _int4} etc.): a {@link Column#ARRAY} of PostgreSQL's own declaration, or empty
     * when its element type is not in {@link #ARRAY_ELEMENTS}.
     *
     * @param declaration the column's type as PostgreSQL's format_type prints it ("numeric(5,2)[]")
     */
    static Optional<Column> describeArray(String name, String udtName, String declaration, boolean nullable) {
        return udtName.startsWith("_") && ARRAY_ELEMENTS.contains(udtName.substring(1))
                ? Optional.of(new Column(name, Column.ARRAY, declaration, -1, -1, -1, nullable, false))
                : Optional.empty();
    }

    /**
     * @param udtName   the type as information_schema.columns.udt_name gives it
     * @param length    character_maximum_length, or -1
     * @param precision numeric_precision or datetime_precision, or -1
     * @param scale     numeric_scale, or -1
     * @return empty for a type not in {@link #SUPPORTED}
     */
    static Optional<Column> describe(String name, String udtName, long length, int precision, int scale, boolean nullable) {
        Column column = switch (udtName) {
            case "int2" -> column(name, "smallint", "smallint", nullable);
            case "int4" -> column(name, "int", "int", nullable);
            case "int8" -> column(name, "bigint", "bigint", nullable);
            // numeric without precision holds any number: decimal(65,30) is the widest MySQL has.
            case "numeric" -> precision > 0
                    ? new Column(name, "decimal", "decimal(" + precision + "," + Math.max(0, scale) + ")", -1, precision,
                            Math.max(0, scale), nullable, false)
                    : new Column(name, "decimal", "decimal(65,30)", -1, -1, -1, nullable, false);
            case "float4" -> column(name, "float", "float", nullable);
            case "float8" -> column(name, "double", "double", nullable);
            case "bool" -> column(name, "boolean", "tinyint(1)", nullable);
            case "varchar" -> length > 0
                    ? new Column(name, "varchar", "varchar(" + length + ")", length, -1, -1, nullable, false)
                    : column(name, "text", "longtext", nullable);
            // bpchar without a length (Northwind's keys) holds text of any length as written: it is no char(1).
            case "bpchar" -> length > 0
                    ? new Column(name, "char", "char(" + length + ")", length, -1, -1, nullable, false)
                    : column(name, "text", "longtext", nullable);
            // citext's values are text; its case-insensitive comparison is the extension's, which targets may lack.
            case "text", "citext" -> column(name, "text", "longtext", nullable);
            // An XML document or fragment as the server prints it (its own type in PostgreSQL targets).
            case "xml" -> column(name, "xml", "longtext", nullable);
            case "bytea" -> column(name, "longblob", "longblob", nullable);
            case "date" -> column(name, "date", "date", nullable);
            // A time of day, unlike MySQL's TIME (a signed span): its own word, so targets keep it a time of day.
            case "time" -> {
                Column t = temporal(name, "time", precision, nullable);
                yield new Column(name, "time_of_day", t.columnType(), -1, t.precision(), -1, nullable, false);
            }
            case "timestamp" -> temporal(name, "datetime", precision, nullable);
            case "timestamptz" -> temporal(name, "timestamp", precision, nullable);
            case "json", "jsonb" -> column(name, "json", "json", nullable);
            case "uuid" -> new Column(name, "uuid", "char(36)", 36, -1, -1, nullable, false);
            case ENUM -> new Column(name, "varchar", "varchar(63)", 63, -1, -1, nullable, false);
            // The longest texts: an IPv4-mapped IPv6 address with its netmask, and eight hex pairs with colons.
            case "inet", "cidr" -> new Column(name, udtName, "varchar(49)", 49, -1, -1, nullable, false);
            case "macaddr" -> new Column(name, udtName, "varchar(17)", 17, -1, -1, nullable, false);
            case "macaddr8" -> new Column(name, udtName, "varchar(23)", 23, -1, -1, nullable, false);
            case "tsvector" -> column(name, "tsvector", "longtext", nullable);
            // The longest ISO 8601 text: every part at its most negative (P-178956970Y-8M-2147483648DT-2562047788H...).
            case "interval" -> new Column(name, "interval", "varchar(64)", 64, -1, -1, nullable, false);
            default -> null;
        };
        return Optional.ofNullable(column);
    }

    private static Column column(String name, String dataType, String columnType, boolean nullable) {
        return new Column(name, dataType, columnType, -1, -1, -1, nullable, false);
    }

    private static Column temporal(String name, String dataType, int precision, boolean nullable) {
        int p = precision < 0 ? 6 : precision;
        return new Column(name, dataType, dataType + "(" + p + ")", -1, p, -1, nullable, false);
    }
}
