package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.api.ApiOperator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlQueryTest {
    @Test
    void valuesAreParametersAndNamesAreQuoted() {
        List<SortKey> order = List.of(new SortKey("balance", true), new SortKey("id", false));
        Condition where = Condition.all(List.of(new Condition.Compare("name", ApiOperator.LIKE, "O'B%_*"),
                Keyset.after(order, java.util.Arrays.asList(null, 7L), k -> false, f -> !f.equals("id"))));
        SqlQuery q = SqlQuery.select(SqlDialect.POSTGRES, "\"public\".\"customer\"", RequestParserTest.SCHEMA,
                new ReadQuery("customer", List.of("id", "name"), where, order, 101, 0));
        assertThat(q.sql.toString()).isEqualTo("SELECT \"id\", \"name\" FROM \"public\".\"customer\" WHERE (\"name\" LIKE ? ESCAPE '!' AND "
                + "((\"balance\" IS NULL AND (\"id\" > ?)))) "
                + "ORDER BY (\"balance\" IS NULL), \"balance\" DESC, \"id\" LIMIT 101");
        assertThat(q.params).containsExactly("O'B!%!_%", 7L);
        assertThat(SqlDialect.MYSQL.quote("a`b")).isEqualTo("`a``b`");
    }

    @Test
    void mongoRegexIsAnchoredAndLiteral() {
        assertThat(MongoBackend.regex("a.b*(c)")).isEqualTo("^a\\.b.*\\(c\\)$");
    }
}
