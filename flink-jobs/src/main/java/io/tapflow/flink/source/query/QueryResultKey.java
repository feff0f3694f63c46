package io.tapflow.flink.source.query;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The key of a query's result, checked on the real result before the job starts. Target rows are written by key, so
 * two result rows with one key would silently become one target row, and a NULL key finds no row: both are refused,
 * at the cost of running the query once more while planning.
 */
public final class QueryResultKey {
    private QueryResultKey() {}

    private static final Pattern SELECT = Pattern.compile("(?is)^[\\s(]*(select|with)\\b.*");

    /**
     * A problem when the statement is no query: only SELECT (and WITH ... SELECT) is read. The connections that run
     * it are read-only as well, so a data-modifying WITH is refused by the server.
     */
    public static Optional<String> notAQuery(String name, String select) {
        return SELECT.matcher(select).matches() ? Optional.empty() : Optional.of("query " + name
                + ": only a SELECT (or WITH ... SELECT) can be a source, got '" + abbreviated(select) + "'");
    }

    private static String abbreviated(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    /** The connection in a read-only transaction: reading a query must never change the source. */
    public static Connection readOnly(Connection c) throws SQLException {
        try {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** The query as it can be wrapped in a derived table: without the trailing semicolons a user may have typed. */
    public static String body(String select) {
        return select.strip().replaceAll("[;\\s]+$", "");
    }

    /**
     * Problems with {@code key} for the result {@code columns}; empty when the result's rows are unique by it and it
     * is never NULL.
     *
     * @param tablePrimaryKey the primary key of the datasource's table of the result's name, used when no key was named
     * @param distinctOf      the database's expression for counting distinct values of these quoted columns
     */
    public static List<String> problems(Connection c, String name, String select, List<Column> columns, List<String> key,
                                        Function<String, String> quote, Function<List<String>, String> distinctOf)
            throws SQLException {
        List<String> names = columns.stream().map(Column::name).toList();
        List<String> problems = new ArrayList<>();
        names.stream().filter(n -> names.indexOf(n) != names.lastIndexOf(n)).distinct().forEach(n -> problems.add(
                "query " + name + ": the result has two columns named '" + n + "'; name them apart with AS"));
        if (key.isEmpty()) {
            problems.add("query " + name + ": its rows need a key, and there is no table " + name + " with a primary key to "
                    + "take it from; name the key fields with key(\"column\") in the pipeline (\"key\" of the target in JSON)");
            return problems;
        }
        List<String> missing = key.stream().filter(k -> !names.contains(k)).toList();
        if (!missing.isEmpty()) {
            problems.add("query " + name + ": key field(s) " + missing + " are not columns of its result " + names
                    + "; select them, or name other key fields with key(...)");
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        List<String> quoted = key.stream().map(quote).toList();
        String sql = "SELECT COUNT(*), COUNT(DISTINCT " + distinctOf.apply(quoted) + "), COALESCE(SUM(CASE WHEN "
                + quoted.stream().map(k -> k + " IS NULL").collect(Collectors.joining(" OR "))
                + " THEN 1 ELSE 0 END), 0) FROM (" + body(select) + ") AS tapflow_query";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long rows = rs.getLong(1);
            long distinct = rs.getLong(2);
            long nulls = rs.getLong(3);
            if (nulls > 0) {
                problems.add("query " + name + ": " + nulls + " of its " + rows + " rows have a NULL in key " + key
                        + ", and a target row cannot be found by a NULL key; filter them out or name other key fields with key(...)");
            } else if (distinct != rows) {
                problems.add("query " + name + ": its " + rows + " rows have only " + distinct + " distinct values of key " + key
                        + ", so rows would overwrite each other in the target; name key fields that are unique in the "
                        + "result with key(...)");
            }
        }
        return problems;
    }

    /** The result's schema with its key columns NOT NULL (checked above), as target tables create them. */
    public static TableSchema schema(String database, String name, List<Column> columns, List<String> key) {
        List<Column> keyed = columns.stream().map(c -> key.contains(c.name()) && c.nullable()
                ? new Column(c.name(), c.dataType(), c.columnType(), c.length(), c.precision(), c.scale(), false, c.unsigned())
                : c).toList();
        return new TableSchema(database, name, keyed, key);
    }
}
