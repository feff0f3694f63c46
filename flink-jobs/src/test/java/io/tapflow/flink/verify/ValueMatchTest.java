package io.tapflow.flink.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented conversions are equal; one digit, microsecond or byte apart is not. */
class ValueMatchTest {

    @Test
    void documentedConversionsAreEqual() {
        assertThat(ValueMatch.same(7, 7L, false)).isTrue();
        assertThat(ValueMatch.same(new BigDecimal("1.50"), new BigDecimal("1.5000"), false)).isTrue();
        assertThat(ValueMatch.same(true, 1, false)).as("PostgreSQL bool in MySQL tinyint(1)").isTrue();
        assertThat(ValueMatch.same(0.1f, 0.1f, false)).isTrue();
        assertThat(ValueMatch.same(0.1f, 0.1d, false)).as("a float as its decimal digits (MongoDB double)").isTrue();
        assertThat(ValueMatch.same(LocalTime.of(1, 2, 3), Duration.ofSeconds(3723), false)).as("time of day in MySQL TIME").isTrue();
        assertThat(ValueMatch.same("{\"b\": 1, \"a\": [1]}", "{\"a\":[1],\"b\":1}", true)).as("jsonb reorders").isTrue();
        assertThat(ValueMatch.same(2.5d, new BigDecimal("2.5000000000"), false)).as("a double in numeric(38,10)").isTrue();
        assertThat(ValueMatch.same("2024-05-01", LocalDate.of(2024, 5, 1), false)).as("text into a date column").isTrue();
        assertThat(ValueMatch.same(new byte[] {1, 2}, new byte[] {1, 2}, false)).isTrue();
        assertThat(ValueMatch.same(null, null, false)).isTrue();
    }

    @Test
    void realDifferencesAreFound() {
        assertThat(ValueMatch.same(new BigDecimal("21.1234"), new BigDecimal("21.1235"), false)).isFalse();
        Instant t = Instant.parse("2024-05-02T10:00:00.000004Z");
        assertThat(ValueMatch.same(t, t.plusNanos(1_000), false)).isFalse();
        assertThat(ValueMatch.same(LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1000), false)).isFalse();
        assertThat(ValueMatch.same("{\"a\": 1}", "{\"a\": 2}", true)).isFalse();
        assertThat(ValueMatch.same("{\"a\": 1}", "{\"a\":1}", false)).as("text columns compare as text").isFalse();
        assertThat(ValueMatch.same(new byte[] {1, 2}, new byte[] {1, 3}, false)).isFalse();
        assertThat(ValueMatch.same(null, "", false)).isFalse();
        assertThat(ValueMatch.same(0, null, false)).isFalse();
        assertThat(ValueMatch.same(true, 2, false)).isFalse();
    }

    @Test
    void keysOrderAsUtf8BytesAndNumbersByValue() {
        List<List<Object>> keys = new java.util.ArrayList<>(List.of(List.<Object>of("\u00e9z"), List.<Object>of("b"),
                List.<Object>of("Us"), List.<Object>of("\uD83D\uDE00"), List.<Object>of("\uFFFD")));
        keys.sort(KeyOrder.INSTANCE);
        assertThat(keys).extracting(k -> k.get(0)).containsExactly("Us", "b", "\u00e9z", "\uFFFD", "\uD83D\uDE00");
        assertThat(KeyOrder.INSTANCE.compare(List.of(ValueMatch.normalize(10)), List.of(ValueMatch.normalize(9L)))).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(List.of(new byte[] {(byte) 0x80}), List.of(new byte[] {0x7f}))).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(List.of("a", ValueMatch.normalize(2)), List.of("a", ValueMatch.normalize(10)))).isNegative();
    }

    @Test
    void timesRoundToTheColumnsDigitsAsTheDatabasesDo() {
        assertThat(TemporalPrecision.round(LocalDateTime.parse("2024-01-01T10:00:00.123456"), 3))
                .isEqualTo(LocalDateTime.parse("2024-01-01T10:00:00.123"));
        assertThat(TemporalPrecision.round(LocalDateTime.parse("2024-01-01T23:59:59.9995"), 3))
                .isEqualTo(LocalDateTime.parse("2024-01-02T00:00:00"));
        assertThat(TemporalPrecision.round(Instant.parse("2024-01-01T10:00:00.123456Z"), 6))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00.123456Z"));
        assertThat(TemporalPrecision.round(Duration.parse("-PT1.5S"), 0)).isEqualTo(Duration.ofSeconds(-2));
        assertThat(TemporalPrecision.round("text", 0)).isEqualTo("text");
    }
}
