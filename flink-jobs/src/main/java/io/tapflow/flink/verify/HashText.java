package io.tapflow.flink.verify;

import io.tapflow.flink.schema.Column;
import java.util.Set;

/**
 * The SQL that gives a column the same text in MySQL/MariaDB and in PostgreSQL, for checksums computed in the
 * databases: integers and fixed-scale decimals as their digits, text as UTF-8 text, dates as {@code YYYY-MM-DD},
 * DATETIME/TIMESTAMP (timestamp/timestamptz, at UTC) with six fractional digits, binary as upper-case hex. Other
 * types (floating point, JSON, TIME, BIT, CHAR with its padding rules, spatial, uuid, unconstrained numeric) have no
 * common text form here: tables with them are compared row by row. NULL is the control character 30, columns are
 * joined by 31: text holding those characters could collide, nothing else.
 */
final class HashText {
    static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year");
    private static final Set<String> TEXT = Set.of("varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");
    private static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");

    private HashText() {}

    static boolean hashable(Column c) {
        String t = c.dataType();
        return INTEGERS.contains(t) || TEXT.contains(t) || BINARY.contains(t) || t.equals("date") || t.equals("datetime")
                || t.equals("timestamp") || (t.equals("decimal") || t.equals("numeric")) && c.precision() > 0;
    }

    /** The column's text, never NULL, in the side's SQL. */
    static String expression(Column c, String quoted, boolean postgres) {
        String t = c.dataType();
        String text;
        if (INTEGERS.contains(t) || t.equals("decimal") || t.equals("numeric")) {
            text = postgres ? quoted + "::text" : "CAST(" + quoted + " AS CHAR)";
        } else if (TEXT.contains(t)) {
            text = postgres ? quoted + "::text" : "CONVERT(" + quoted + " USING utf8mb4)";
        } else if (BINARY.contains(t)) {
            text = postgres ? "upper(encode(" + quoted + ", 'hex'))" : "HEX(" + quoted + ")";
        } else if (t.equals("date")) {
            text = postgres ? "to_char(" + quoted + ", 'YYYY-MM-DD')" : "DATE_FORMAT(" + quoted + ", '%Y-%m-%d')";
        } else if (postgres) {
            // A TIMESTAMP (an instant) is timestamptz in PostgreSQL; MySQL's session runs at UTC.
            String at = t.equals("timestamp") ? "(" + quoted + " AT TIME ZONE 'UTC')" : quoted;
            text = "to_char(" + at + ", 'YYYY-MM-DD HH24:MI:SS.US')";
        } else {
            text = "DATE_FORMAT(" + quoted + ", '%Y-%m-%d %H:%i:%s.%f')";
        }
        return "COALESCE(" + text + (postgres ? ", chr(30))" : ", CHAR(30))");
    }

    /** The row count and the sum of the rows' 60-bit MD5 prefixes, over the expressions joined by a unit separator. */
    static String checksumSql(String table, java.util.List<String> expressions, String where, boolean postgres) {
        if (postgres) {
            return "SELECT COUNT(*), COALESCE(SUM(('x' || substr(md5(concat_ws(chr(31), " + String.join(", ", expressions)
                    + ")), 1, 15))::bit(60)::bigint), 0) FROM " + table + where;
        }
        return "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(CONCAT_WS(CHAR(31), " + String.join(", ", expressions)
                + ")), 1, 15), 16, 10) AS UNSIGNED)), 0) FROM " + table + where;
    }
}
