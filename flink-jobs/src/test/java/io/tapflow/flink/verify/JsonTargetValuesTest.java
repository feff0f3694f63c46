package io.tapflow.flink.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the pipeline writes and what a JSON target holds meet in one form; read-back keys look up the same rows. */
class JsonTargetValuesTest {
    private final TargetTable table = new TargetTable("db.t", "t", List.of("id"), List.of(
            column("id", "int", false), column("amount", "decimal", false), column("big", "bigint", true),
            column("ratio", "float", false), column("at", "datetime", false), column("paid", "timestamp", false),
            column("bytes", "blob", false), column("name", "varchar", false)));

    @Test
    void aWrittenRowAndItsDocumentCompareEqualAndKeysOrderByValue() {
        Map<String, Object> doc = JsonTargetValues.row(JsonTargetValues.parse("{\"id\":7,\"amount\":\"12.50\",\"big\":"
                + "\"18446744073709551615\",\"ratio\":0.1,\"at\":\"2024-02-29T13:14:15.123456\",\"paid\":"
                + "\"2024-02-29T13:14:15.123456Z\",\"bytes\":\"AP8=\",\"name\":\"x\",\"extra\":{\"a\":1}}", "doc"), table);
        Map<String, Object> written = Map.of("id", 7, "amount", new BigDecimal("12.50"), "big", new BigDecimal("18446744073709551615"),
                "ratio", 0.1f, "at", LocalDateTime.parse("2024-02-29T13:14:15.123456"),
                "paid", Instant.parse("2024-02-29T13:14:15.123456Z"), "bytes", new byte[] {0, -1}, "name", "x");
        written.forEach((field, value) -> assertThat(ValueMatch.same(JsonTargetValues.stored(table, field, value), doc.get(field), false))
                .as(field).isTrue());
        assertThat(doc.get("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(doc.get("extra")).isEqualTo("{\"a\":1}");
        assertThat(ValueMatch.same(JsonTargetValues.stored(table, "amount", new BigDecimal("12.51")), doc.get("amount"), false)).isFalse();
        assertThat(KeyOrder.compareValues(JsonTargetValues.stored(table, "amount", new BigDecimal("9.5")),
                JsonTargetValues.stored(table, "amount", new BigDecimal("10")))).isNegative();
    }

    @Test
    void aValueReadBackStaysAsItIsAndANumberIdIsWrittenAsANumber() {
        assertThat(JsonTargetValues.stored(table, "id", new BigDecimal("7"))).isEqualTo(new BigDecimal("7"));
        assertThat(JsonTargetValues.stored(table, "id", 7)).isEqualTo(new BigDecimal("7"));
        assertThat(JsonTargetValues.stored(table, "name", "x")).isEqualTo("x");
        assertThat(JsonTargetValues.stored(table, "ratio", Double.NaN)).isEqualTo(Double.NaN);
        assertThat(JsonTargetValues.asWritten(table, "id", new BigDecimal("7"))).isEqualTo(7L);
        assertThat(JsonTargetValues.asWritten(table, "amount", new BigDecimal("7.5"))).isEqualTo(new BigDecimal("7.5"));
    }

    private static Column column(String name, String type, boolean unsigned) {
        return new Column(name, type, type, -1, -1, -1, true, unsigned);
    }
}
