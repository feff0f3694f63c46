package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
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
