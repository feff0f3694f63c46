package io.tapflow.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TapflowException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    @Test
    void everyValueTypeHasAnExactJsonForm() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dec", new BigDecimal("12345678901234567890.0100"));
        row.put("f", 0.1f);
        row.put("d", 0.1);
        row.put("ts", Instant.parse("2024-02-29T13:14:15.000001Z"));
        row.put("nanos", LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_789));
        row.put("t", LocalTime.of(1, 2, 3));
        row.put("span", Duration.ofHours(-838).minusMinutes(59).minusSeconds(59).minusNanos(500_000));
        row.put("bytes", new byte[] {0, -1});
        row.put("none", null);
        assertThat(JsonValues.row(row).toString()).isEqualTo("{\"dec\":\"12345678901234567890.0100\",\"f\":0.1,\"d\":0.1,"
                + "\"ts\":\"2024-02-29T13:14:15.000001Z\",\"nanos\":\"2024-02-29T13:14:15.123456789\",\"t\":\"01:02:03.000000\","
                + "\"span\":\"-838:59:59.000500\",\"bytes\":\"AP8=\",\"none\":null}");
    }

    @Test
    void negativeZeroKeepsItsSign() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("f", -0.0f);
        row.put("d", -0.0d);
        row.put("fz", 0.0f);
        row.put("array", java.util.List.of(-0.0f, -0.0d));
        assertThat(JsonValues.row(row).toString()).isEqualTo("{\"f\":-0.0,\"d\":-0.0,\"fz\":0.0,\"array\":[-0.0,-0.0]}");
    }

    @Test
    void embeddedRowsAndArraysAreJsonObjectsAndArraysWithTheSameRules() {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("balance", new BigDecimal("10.50"));
        customer.put("none", null);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("customer", customer);
        row.put("items", java.util.List.of(Map.of("qty", 2), Map.of("qty", 3)));
        row.put("empty", java.util.List.of());
        assertThat(JsonValues.row(row).toString()).isEqualTo("{\"customer\":{\"balance\":\"10.50\",\"none\":null},"
                + "\"items\":[{\"qty\":2},{\"qty\":3}],\"empty\":[]}");
    }

    @Test
    void anEmbeddedValueWithoutAJsonFormIsRefusedNamingItsPath() {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("score", Double.NaN);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("customer", customer);
        assertThatThrownBy(() -> JsonValues.row(row)).isInstanceOf(TapflowException.class)
                .hasMessage("field 'customer': field 'score': value NaN has no JSON form (JSON numbers are finite)");
    }

    @Test
    void valuesWithoutAJsonFormAreRefusedNamingTheField() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("x", Double.NaN);
        assertThatThrownBy(() -> JsonValues.row(row)).isInstanceOf(TapflowException.class)
                .hasMessage("field 'x': value NaN has no JSON form (JSON numbers are finite)");
        row.put("x", new Object());
        assertThatThrownBy(() -> JsonValues.row(row)).hasMessageStartingWith("field 'x': a value of type java.lang.Object has no JSON form");
    }
}
