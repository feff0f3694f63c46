package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import java.util.stream.Collectors;

/** Identifier quoting and the SELECT that reads one snapshot split. */
public final class MySqlSql {
    private MySqlSql() {}

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    public static String table(TableSchema table) {
        return quote(table.database()) + "." + quote(table.table());
    }

    /**
     * The split's rows, in key order when it is resumable (InnoDB's clustered primary key makes that order free).
     * Parameters: the range bounds that are set, then the resume key values, each key prefix twice as the
     * lexicographic "after" condition needs.
     */
    static String selectSplit(TableSchema table, SnapshotSplit split) {
        String columns = columnList(table);
        StringBuilder where = new StringBuilder();
        if (split.rangeStart() != null) {
            and(where).append(quote(split.rangeColumn())).append(" >= ?");
        }
        if (split.rangeEnd() != null) {
            and(where).append(quote(split.rangeColumn())).append(" < ?");
        }
        if (split.resumeAfter() != null) {
            and(where).append(after(split.keyColumns()));
        }
        String order = split.resumable()
                ? " ORDER BY " + split.keyColumns().stream().map(MySqlSql::quote).collect(Collectors.joining(", "))
                : "";
        return "SELECT " + columns + " FROM " + table(table) + (where.length() == 0 ? "" : " WHERE " + where) + order;
    }

    /** The table's columns as {@link MySqlRowReader} reads them, for a SELECT. */
    public static String columnList(TableSchema table) {
        return table.columns().stream().map(MySqlSql::selected).collect(Collectors.joining(", "));
    }

    /**
     * Temporal columns are read as the server's text: it holds what no driver type can (zero dates such as
     * 0000-00-00, TIME beyond a day or below zero), and Connector/J would turn those into NULL, an error or another
     * value. {@code MySqlRowReader} parses the text.
     */
    private static String selected(Column c) {
        return switch (c.dataType()) {
            case "date", "datetime", "timestamp", "time" -> "CAST(" + quote(c.name()) + " AS CHAR)";
            // The text protocol prints FLOAT with 6 digits, which does not always read back as the stored float;
            // widened to DOUBLE it prints exactly (MySqlRowReader narrows it again, which is exact).
            case "float" -> "CAST(" + quote(c.name()) + " AS DOUBLE)";
            default -> quote(c.name());
        };
    }

    /** (k1 > ?) OR (k1 = ? AND k2 > ?) OR ...: rows after a key in lexicographic order. */
    private static String after(List<String> key) {
        StringBuilder sql = new StringBuilder("(");
        for (int i = 0; i < key.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append('(');
            for (int j = 0; j < i; j++) {
                sql.append(quote(key.get(j))).append(" = ? AND ");
            }
            sql.append(quote(key.get(i))).append(" > ?)");
        }
        return sql.append(')').toString();
    }

    /** The values for {@link #after}'s parameters, in order. */
    static List<Object> afterParameters(List<Object> keyValues) {
        List<Object> params = new java.util.ArrayList<>();
        for (int i = 0; i < keyValues.size(); i++) {
            params.addAll(keyValues.subList(0, i + 1));
        }
        return params;
    }

    private static StringBuilder and(StringBuilder where) {
        return where.length() == 0 ? where : where.append(" AND ");
    }
}
