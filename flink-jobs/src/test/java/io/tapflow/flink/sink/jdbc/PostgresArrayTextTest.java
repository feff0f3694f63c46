package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresArrayTextTest {
    @Test
    void everyElementIsQuotedAndEscapedAndNullStaysUnquoted() {
        assertThat(PostgresArrayText.literal(Arrays.asList("a", null, "NULL", "", "x,\"y\"}\\", "😀")))
                .isEqualTo("{\"a\",NULL,\"NULL\",\"\",\"x,\\\"y\\\"}\\\\\",\"😀\"}");
        assertThat(PostgresArrayText.literal(List.of())).isEqualTo("{}");
        assertThat(PostgresArrayText.literal(Arrays.asList(1, null, new BigDecimal("-0.50"), true, 1.5f)))
                .isEqualTo("{\"1\",NULL,\"-0.50\",\"t\",\"1.5\"}");
        assertThat(PostgresArrayText.literal(List.of(LocalDate.of(-4712, 1, 1), LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000),
                Instant.parse("2024-02-29T13:14:15Z")))).isEqualTo("{\"4713-01-01 BC\",\"2024-02-29 13:14:15.123456\","
                + "\"2024-02-29 13:14:15+00\"}");
    }

    @Test
    void onlyArrayColumnsBecomeLiterals() {
        TargetTable table = new TargetTable("public.t", "t", List.of("id"), List.of(
                new Column("id", "int", "int", -1, -1, -1, false, false),
                new Column("tags", Column.ARRAY, "text[]", -1, -1, -1, true, false),
                new Column("doc", Column.DOCUMENT, "json", -1, -1, -1, true, false)));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1);
        row.put("tags", List.of("a"));
        row.put("doc", List.of());
        assertThat(PostgresArrayText.literals(table, List.of(row)).get(0))
                .containsEntry("tags", "{\"a\"}").containsEntry("doc", List.of()).containsEntry("id", 1);
    }
}
