package io.tapflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TableRef;
import io.tapflow.dsl.api.Api;
import io.tapflow.dsl.api.ApiOperator;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    static final TableSchema SCHEMA = new TableSchema("customer", Map.of(
            "id", new Column("id", ColumnType.INTEGER, false, "int8"),
            "name", new Column("name", ColumnType.STRING, false, "text"),
            "balance", new Column("balance", ColumnType.DECIMAL, true, "numeric")), List.of("id"));
    static final PublishedApi API = new PublishedApi(Api.named("customers").readFrom(new TableRef("pg", "customer"))
            .fields("id", "name", "balance").filterable("name", "balance").sortable("balance")
            .param("min_balance", "balance", "gte"), SCHEMA, null, List.of("id"));

    private static PageRequest parse(String... pairs) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return RequestParser.parse(API, q);
    }

    @Test
    void filtersAreTypedByTheirColumn() {
        PageRequest r = parse("balance", "gte.10.50", "name", "in.(Ada,Grace)", "min_balance", "3");
        assertThat(r.filter()).isEqualTo(new Condition.All(List.of(
                new Condition.Compare("balance", ApiOperator.GTE, new BigDecimal("10.50")),
                new Condition.In("name", List.of("Ada", "Grace")),
                new Condition.Compare("balance", ApiOperator.GTE, new BigDecimal("3")))));
        assertThat(r.limit()).isEqualTo(RequestParser.DEFAULT_LIMIT);
    }

    @Test
    void theKeyCompletesTheOrder() {
        assertThat(parse("order", "balance.desc").order()).containsExactly(new SortKey("balance", true), new SortKey("id", false));
        assertThat(parse().order()).containsExactly(new SortKey("id", false));
    }

    @Test
    void aCursorRoundTripsForItsOrderOnly() {
        String cursor = PageCursor.encode("balance.desc,id", java.util.Arrays.asList(new BigDecimal("10.50"), 7L));
        assertThat(parse("order", "balance.desc", "cursor", cursor).after()).containsExactly(new BigDecimal("10.50"), 7L);
        assertThatThrownBy(() -> parse("cursor", cursor)).hasMessageContaining("cursor belongs to another order");
        String nullBalance = PageCursor.encode("balance.desc,id", java.util.Arrays.asList(null, 7L));
        assertThat(parse("order", "balance.desc", "cursor", nullBalance).after()).containsExactly(null, 7L);
    }

    @Test
    void badInputNamesWhatIsAllowed() {
        assertThatThrownBy(() -> parse("email", "eq.x")).hasMessage("unknown query parameter 'email'; allowed: name, balance, "
                + "min_balance, fields, order, limit, cursor, offset, count");
        assertThatThrownBy(() -> parse("name", "Ada")).hasMessageContaining("needs an operator, e.g. name=eq.value");
        assertThatThrownBy(() -> parse("balance", "like.1*")).hasMessageContaining("'like' works on text fields");
        assertThatThrownBy(() -> parse("limit", "1001")).hasMessage("limit must be from 1 to 1000, got 1001");
        assertThatThrownBy(() -> parse("order", "name")).hasMessageContaining("cannot order by 'name'; allowed: balance, id");
        assertThatThrownBy(() -> parse("offset", "5", "cursor", "x")).hasMessageContaining("either cursor");
        assertThatThrownBy(() -> parse("limit", "1", "limit", "2")).hasMessage("'limit' is given 2 times; give it once");
        assertThatThrownBy(() -> parse("name", "is.nothing")).hasMessageContaining("'is' takes null or not.null");
    }
}
