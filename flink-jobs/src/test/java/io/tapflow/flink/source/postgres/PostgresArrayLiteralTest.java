package io.tapflow.flink.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.source.RefusedValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresArrayLiteralTest {
    @Test
    void elementsBecomeTheRowValuesOfTheirType() {
        assertThat(PostgresArrayLiteral.parse("int4", "{1,NULL,-2147483648}")).isEqualTo(Arrays.asList(1, null, Integer.MIN_VALUE));
        assertThat(PostgresArrayLiteral.parse("int8", "{9223372036854775807}")).isEqualTo(List.of(Long.MAX_VALUE));
        assertThat(PostgresArrayLiteral.parse("numeric", "{1.50,-0.000001}"))
                .isEqualTo(List.of(new BigDecimal("1.50"), new BigDecimal("-0.000001")));
        assertThat(PostgresArrayLiteral.parse("float8", "{NaN,-Infinity,1e+308}"))
                .isEqualTo(List.of(Double.NaN, Double.NEGATIVE_INFINITY, 1e308));
        assertThat(PostgresArrayLiteral.parse("bool", "{t,f,NULL}")).isEqualTo(Arrays.asList(true, false, null));
        assertThat(PostgresArrayLiteral.parse("date", "{2024-02-29,\"4713-01-01 BC\"}"))
                .isEqualTo(List.of(LocalDate.of(2024, 2, 29), LocalDate.of(-4712, 1, 1)));
        assertThat(PostgresArrayLiteral.parse("timestamp", "{\"2024-02-29 13:14:15.123456\"}"))
                .isEqualTo(List.of(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000)));
        assertThat(PostgresArrayLiteral.parse("timestamptz", "{\"2024-02-29 18:44:15.5+05:30\",\"1900-01-01 00:00:00-00:53:28\"}"))
                .isEqualTo(List.of(Instant.parse("2024-02-29T13:14:15.5Z"), Instant.parse("1900-01-01T00:53:28Z")));
        assertThat(PostgresArrayLiteral.parse("jsonb", "{\"{\\\"a\\\": [1, 2]}\",NULL}")).isEqualTo(Arrays.asList("{\"a\": [1, 2]}", null));
        assertThat(PostgresArrayLiteral.parse("text", "{\"\",\"NULL\",\"a,b\",\"\\\\\"}")).isEqualTo(List.of("", "NULL", "a,b", "\\"));
        assertThat(PostgresArrayLiteral.parse("int2", "{}")).isEqualTo(List.of());
    }

    @Test
    void whatAListCannotHoldIsRefused() {
        assertThat(PostgresArrayLiteral.parse("int4", "{{1,2},{3,4}}")).isInstanceOf(RefusedValue.class)
                .hasToString(new RefusedValue("(array)", "it is a multi-dimensional array, which tapflow does not "
                        + "replicate (only one-dimensional arrays)").toString());
        assertThat(PostgresArrayLiteral.parse("text", "[0:1][1:1]={{a},{b}}")).extracting("reason").asString()
                .startsWith("it is a multi-dimensional array");
        assertThat(PostgresArrayLiteral.parse("text", "[2:3]={a,b}")).extracting("value", "reason").containsExactly(
                "[2:3]=...", "its indexes run [2:3] instead of from 1, which a list of its elements cannot show "
                        + "(tapflow replicates arrays indexed from 1)");
        assertThat(PostgresArrayLiteral.parse("numeric", "{1,NaN}")).extracting("value").isEqualTo("NaN");
        assertThat(PostgresArrayLiteral.parse("date", "{infinity}")).extracting("value").isEqualTo("infinity");
    }
}
