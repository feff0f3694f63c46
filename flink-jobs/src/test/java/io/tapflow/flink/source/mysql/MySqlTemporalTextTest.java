package io.tapflow.flink.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class MySqlTemporalTextTest {
    @Test
    void fractionDigitsAreNanosecondsExactly() {
        assertThat(MySqlTemporalText.dateTime("2024-02-29 13:14:15")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15));
        assertThat(MySqlTemporalText.dateTime("2024-02-29 13:14:15.1")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 100_000_000));
        assertThat(MySqlTemporalText.dateTime("2024-02-29 13:14:15.000001")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 1_000));
        assertThat(MySqlTemporalText.dateTime("2024-02-29 13:14:15.123456789")).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_789));
        assertThatThrownBy(() -> MySqlTemporalText.dateTime("2024-02-29 13:14:15.12x")).isInstanceOf(IllegalArgumentException.class);
    }
}
