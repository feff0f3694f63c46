package io.tapflow.api;

import io.tapflow.dsl.api.ApiOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a {@link ReadQuery} as SQL text with {@code ?} placeholders and the list of values bound to them. */
final class SqlQuery {
    final StringBuilder sql = new StringBuilder();
    final List<Object> params = new ArrayList<>();
    private final SqlDialect dialect;

    private SqlQuery(SqlDialect dialect) {
        this.dialect = dialect;
    }

    static SqlQuery select(SqlDialect dialect, String qualifiedTable, TableSchema schema, ReadQuery q) {
        SqlQuery out = new SqlQuery(dialect);
        out.sql.append("SELECT ").append(q.columns().stream().map(dialect::quote).collect(Collectors.joining(", ")))
                .append(" FROM ").append(qualifiedTable);
        out.where(q.where());
        out.sql.append(" ORDER BY ").append(q.order().stream().map(k -> out.orderTerm(k, schema.column(k.field()).nullable()))
                .collect(Collectors.joining(", ")));
        out.sql.append(" LIMIT ").append(q.limit());
        if (q.offset() > 0) {
            out.sql.append(" OFFSET ").append(q.offset());
        }
        return out;
    }

    static SqlQuery count(SqlDialect dialect, String qualifiedTable, Condition where) {
        SqlQuery out = new SqlQuery(dialect);
        out.sql.append("SELECT COUNT(*) FROM ").append(qualifiedTable);
        out.where(where);
        return out;
    }

    private void where(Condition c) {
        if (!c.equals(Condition.TRUE)) {
            sql.append(" WHERE ");
            render(c);
        }
    }

    /**
     * NULLs last in both directions, the same on PostgreSQL and MySQL: {@code (col IS NULL), col DESC}. A column that
     * cannot be NULL is ordered by itself alone, so that an index on it serves the order (the IS NULL term would make
     * the database sort every matching row).
     */
    private String orderTerm(SortKey k, boolean nullable) {
        String col = dialect.quote(k.field());
        return (nullable ? "(" + col + " IS NULL), " : "") + col + (k.descending() ? " DESC" : "");
    }

    private void render(Condition c) {
        if (c instanceof Condition.Compare cmp) {
            String col = dialect.quote(cmp.field());
            if (cmp.op() == ApiOperator.LIKE) {
                sql.append(col).append(" LIKE ? ESCAPE '!'");
                params.add(likePattern((String) cmp.value()));
            } else {
                sql.append(col).append(' ').append(symbol(cmp.op())).append(" ?");
                params.add(cmp.value());
            }
        } else if (c instanceof Condition.In in) {
            sql.append(dialect.quote(in.field())).append(" IN (")
                    .append(in.values().stream().map(v -> "?").collect(Collectors.joining(", "))).append(')');
            params.addAll(in.values());
        } else if (c instanceof Condition.IsNull n) {
            sql.append(dialect.quote(n.field())).append(n.isNull() ? " IS NULL" : " IS NOT NULL");
        } else if (c instanceof Condition.All all) {
            group(all.parts(), " AND ", "1=1");
        } else if (c instanceof Condition.Any any) {
            group(any.parts(), " OR ", "1=0");
        }
    }

    private void group(List<Condition> parts, String joiner, String empty) {
        if (parts.isEmpty()) {
            sql.append(empty);
            return;
        }
        sql.append('(');
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(joiner);
            }
            render(parts.get(i));
        }
        sql.append(')');
    }

    private static String symbol(ApiOperator op) {
        return switch (op) {
            case EQ -> "=";
            case NEQ -> "<>";
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            case LTE -> "<=";
            default -> throw new IllegalArgumentException(op.token());
        };
    }

    /** The API's {@code *} wildcard as SQL LIKE's {@code %}; the pattern's own % and _ match themselves. */
    static String likePattern(String pattern) {
        StringBuilder out = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> out.append('%');
                case '%', '_', '!' -> out.append('!').append(ch);
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
