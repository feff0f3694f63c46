package io.tapflow.udf.script;

import io.tapflow.dsl.TapflowException;
import io.tapflow.udf.script.ConditionTokens.Kind;
import io.tapflow.udf.script.ConditionTokens.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * TapFlow's custom query source, {@code read_from('ds.orders', query="SELECT * FROM orders WHERE status = 'paid'")},
 * the way tapflow runs it: a query result cannot carry changes, so a query that only filters the table named
 * ({@code SELECT * | columns FROM table [WHERE condition]}) runs as that table's stream (snapshot, then every change)
 * with the query as steps: the WHERE as a filter (TapFlow's condition language, which SQL's simple conditions are),
 * the column list as {@code include}. Any other query (joins, grouping, ordering, LIMIT, functions) is read once by
 * the database as a snapshot-only source ({@code Pipeline.readQuery}).
 *
 * @param columns the selected columns; empty for {@code *}
 * @param table the table named after FROM (without a database prefix)
 * @param filter the WHERE as a JavaScript expression over {@code record}, or null
 * @param where the WHERE as written, or null
 */
record SourceQuery(List<String> columns, String table, String filter, String where) {
    SourceQuery {
        columns = List.copyOf(columns);
    }

    /**
     * The query as a filter of {@code table}, or null when it is more than that (and runs as a snapshot-only read).
     */
    static SourceQuery parseFilter(String query, String table) {
        try {
            SourceQuery q = parse(query);
            return q.table.equalsIgnoreCase(table) ? q : null;
        } catch (TapflowException moreThanAFilter) {
            return null;
        }
    }

    /** What the output says about a query that runs as a snapshot-only read. */
    static String explainedSnapshot(String tableRef) {
        return "read_from('" + tableRef + "', query=...): this query is more than a filter of one table, and a query "
                + "result cannot carry changes, so tapflow reads its result once (a snapshot-only read: no changes "
                + "follow, and the job finishes when every row is written)";
    }

    static SourceQuery parse(String query) {
        String what = "read_from(query=\"" + query + "\")";
        ConditionTokens t = new ConditionTokens(query, what);
        expect(t, "select", what);
        List<String> columns = new ArrayList<>();
        if (!t.accept("*")) {
            do {
                columns.add(name(t, what, "a column name or *"));
            } while (t.accept(","));
        }
        expect(t, "from", what);
        String table = name(t, what, "a table name");
        if (t.accept(".")) {
            table = name(t, what, "a table name");
        }
        String filter = null;
        String where = null;
        if (t.accept("where")) {
            int from = t.peek().position();
            filter = TapflowConditions.javaScript(t, what);
            where = query.substring(from, t.peek().position()).strip();
        }
        t.accept(";");
        if (t.peek().kind() != Kind.END) {
            throw unsupported(t.peek(), what);
        }
        return new SourceQuery(columns, table, filter, where);
    }

    /** What the output says about how the query runs. */
    String explained(String tableRef) {
        return "read_from('" + tableRef + "', query=...): a query result cannot carry changes, so tapflow streams table "
                + table + (where == null ? "" : " filtered by " + where)
                + (columns.isEmpty() ? "" : " with the columns " + String.join(", ", columns)) + " (snapshot, then every change)";
    }

    private static String name(ConditionTokens t, String what, String expected) {
        Token token = t.take();
        if (token.kind() != Kind.NAME) {
            throw unsupportedOr(token, what, expected);
        }
        return token.text();
    }

    private static void expect(ConditionTokens t, String keyword, String what) {
        if (!t.accept(keyword)) {
            throw unsupportedOr(t.peek(), what, keyword.toUpperCase());
        }
    }

    private static TapflowException unsupportedOr(Token found, String what, String expected) {
        return new TapflowException(what + ": at position " + (found.position() + 1) + " expected " + expected + ", found "
                + found.shown() + "; " + SHAPE);
    }

    private static TapflowException unsupported(Token found, String what) {
        return new TapflowException(what + ": at position " + (found.position() + 1) + " " + found.shown() + " is not supported; "
                + SHAPE);
    }

    private static final String SHAPE = "tapflow streams the table and filters it, so a query can only be"
            + " SELECT * | columns FROM table [WHERE condition]";
}
