package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.api.ApiOperator;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElasticsearchQueryTest {
    private static final TableSchema SCHEMA = new TableSchema("t", Map.of(
            "name", new Column("name", ColumnType.STRING, true, "keyword"),
            "balance", new Column("balance", ColumnType.DECIMAL, true, "scaled_float")), List.of());

    @Test
    void requestValuesStayValuesAndOnlyStarIsAWildcard() {
        assertThat(ElasticsearchQuery.of(new Condition.Compare("name", ApiOperator.LIKE, "a?b\\*"), SCHEMA).toString())
                .isEqualTo("{\"wildcard\":{\"name\":{\"value\":\"a\\\\?b\\\\\\\\*\"}}}");
        // A query-DSL text is one term value, not a query.
        assertThat(ElasticsearchQuery.of(new Condition.Compare("name", ApiOperator.EQ, "{\"match_all\":{}}"), SCHEMA).toString())
                .isEqualTo("{\"term\":{\"name\":{\"value\":\"{\\\"match_all\\\":{}}\"}}}");
        assertThat(ElasticsearchQuery.of(new Condition.Compare("balance", ApiOperator.GTE, new BigDecimal("10.50")), SCHEMA).toString())
                .isEqualTo("{\"range\":{\"balance\":{\"gte\":10.50}}}");
    }

    @Test
    void neqDoesNotMatchMissingFieldsAndEmptyAnyMatchesNothing() {
        assertThat(ElasticsearchQuery.of(new Condition.Compare("name", ApiOperator.NEQ, "x"), SCHEMA).toString())
                .isEqualTo("{\"bool\":{\"filter\":[{\"exists\":{\"field\":\"name\"}}],\"must_not\":[{\"term\":{\"name\":{\"value\":\"x\"}}}]}}");
        assertThat(ElasticsearchQuery.of(Condition.FALSE, SCHEMA).toString()).isEqualTo("{\"match_none\":{}}");
        assertThat(ElasticsearchQuery.of(Condition.TRUE, SCHEMA).toString()).isEqualTo("{\"match_all\":{}}");
    }
}
