package io.tapflow.flink.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.sink.RowKey;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElasticsearchFieldMappingTest {

    @Test
    void decimalsUpToFifteenDigitsAreScaledFloatsWiderOnesKeywords() {
        assertThat(ElasticsearchFieldMapping.of(decimal(15, 2)).orElseThrow().toMap())
                .isEqualTo(Map.of("type", "scaled_float", "scaling_factor", 100.0));
        assertThat(ElasticsearchFieldMapping.of(decimal(16, 2)).orElseThrow().type()).isEqualTo("keyword");
        assertThat(ElasticsearchFieldMapping.of(new Column("g", "geometry", "geometry", -1, -1, -1, true, false)))
                .map(ElasticsearchFieldMapping::type).contains("binary");
        assertThat(ElasticsearchFieldMapping.of(new Column("v", "vector", "vector(3)", -1, -1, -1, true, false))).isEmpty();
    }

    @Test
    void postgresArraysAreMappedAsTheirElements() {
        assertThat(array("integer[]")).isEqualTo(Map.of("type", "integer"));
        assertThat(array("smallint[]")).isEqualTo(Map.of("type", "integer"));
        assertThat(array("bigint[]")).isEqualTo(Map.of("type", "long"));
        assertThat(array("numeric(12,4)[]")).isEqualTo(Map.of("type", "scaled_float", "scaling_factor", 10000.0));
        assertThat(array("numeric[]")).isEqualTo(Map.of("type", "keyword"));
        assertThat(array("real[]")).isEqualTo(Map.of("type", "float"));
        assertThat(array("double precision[]")).isEqualTo(Map.of("type", "double"));
        assertThat(array("boolean[]")).isEqualTo(Map.of("type", "boolean"));
        assertThat(array("date[]")).isEqualTo(Map.of("type", "date", "format", ElasticsearchFieldMapping.DATE_FORMAT));
        assertThat(array("timestamp(6) without time zone[]"))
                .isEqualTo(Map.of("type", "date", "format", ElasticsearchFieldMapping.DATETIME_FORMAT));
        assertThat(array("timestamp with time zone[]"))
                .isEqualTo(Map.of("type", "date", "format", ElasticsearchFieldMapping.TIMESTAMP_FORMAT));
        assertThat(array("uuid[]")).isEqualTo(Map.of("type", "keyword"));
        assertThat(array("character varying(20)[]")).isEqualTo(Map.of("type", "keyword"));
        assertThat(array("character(3)[]")).isEqualTo(Map.of("type", "keyword"));
        assertThat(array("character varying(300)[]").get("type")).isEqualTo("text");
        assertThat(array("text[]").get("type")).isEqualTo("text");
        assertThat(array("jsonb[]").get("type")).isEqualTo("text");
        assertThat(ElasticsearchFieldMapping.of(new Column("a", Column.ARRAY, "interval[]", -1, -1, -1, true, false))).isEmpty();
    }

    private static Map<String, Object> array(String declaration) {
        return ElasticsearchFieldMapping.of(new Column("a", Column.ARRAY, declaration, -1, -1, -1, true, false)).orElseThrow().toMap();
    }

    @Test
    void existingFieldsAcceptWhatTakesTapflowsValuesOnly() {
        ElasticsearchFieldMapping date = ElasticsearchFieldMapping.of(new Column("d", "date", "date", -1, -1, -1, true, false))
                .orElseThrow();
        assertThat(existing("keyword", null).accepts(date)).isTrue();
        assertThat(existing("date", null).accepts(date)).as("ES's default date format").isFalse();
        assertThat(existing("date", "yyyy-MM-dd||epoch_millis").accepts(date)).isTrue();
        ElasticsearchFieldMapping bigint = ElasticsearchFieldMapping.of(new Column("n", "bigint", "bigint", -1, 19, 0, true, false))
                .orElseThrow();
        assertThat(existing("integer", null).accepts(bigint)).as("narrower: out-of-range rows are row errors").isTrue();
        assertThat(existing("boolean", null).accepts(bigint)).isFalse();
        assertThat(existing("keyword", null).accepts(ElasticsearchFieldMapping.of(
                new Column("b", "blob", "blob", -1, -1, -1, true, false)).orElseThrow())).isFalse();
    }

    @Test
    void compositeKeysGiveIdsThatCannotCollide() {
        assertThat(id(List.of("a"), 42)).isEqualTo("42");
        assertThat(id(List.of("a"), LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(id(List.of("a", "b"), 1, "a|")).isEqualTo("[1,\"a|\"]");
        assertThat(id(List.of("a", "b", "c"), 1, "a", "|")).isEqualTo("[1,\"a\",\"|\"]");
        assertThat(id(List.of("a", "b"), 1, "x\",\"y")).isEqualTo("[1,\"x\\\",\\\"y\"]");
    }

    private static String id(List<String> fields, Object... values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(fields.get(i), values[i]);
        }
        return ElasticsearchIds.of(RowKey.of(fields, row, "db.t"));
    }

    private static Column decimal(int precision, int scale) {
        return new Column("d", "decimal", "decimal(" + precision + "," + scale + ")", -1, precision, scale, true, false);
    }

    private static ElasticsearchFieldMapping existing(String type, String format) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("type", type);
        if (format != null) {
            field.put("format", format);
        }
        return ElasticsearchFieldMapping.existing(field);
    }
}
