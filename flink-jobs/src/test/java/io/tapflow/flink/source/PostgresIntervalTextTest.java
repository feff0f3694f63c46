package io.tapflow.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TapflowException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PostgresIntervalTextTest {
    @Test
    void debeziumTextBecomesPostgresIsoText() {
        assertThat(PostgresIntervalText.fromDebezium("P1Y2M3DT4H5M6.78S")).isEqualTo("P1Y2M3DT4H5M6.78S");
        assertThat(PostgresIntervalText.fromDebezium("P0Y0M0DT0H0M0S")).isEqualTo("PT0S");
        assertThat(PostgresIntervalText.fromDebezium("P0Y0M3DT0H0M0S")).isEqualTo("P3D");
        // Mixed signs: each part keeps its own.
        assertThat(PostgresIntervalText.fromDebezium("P0Y-1M2DT-3H0M0S")).isEqualTo("P-1M2DT-3H");
        assertThat(PostgresIntervalText.fromDebezium("P0Y0M0DT0H0M-0.5S")).isEqualTo("PT-0.5S");
    }

    @Test
    void secondsCutFromADoubleAreRoundedBackToTheMicrosecond() {
        // Debezium cuts the driver's double (0.000001 is 9.99999999999999954...E-7) to nine digits.
        assertThat(PostgresIntervalText.fromDebezium("P0Y0M0DT0H0M0.000000999S")).isEqualTo("PT0.000001S");
        assertThat(PostgresIntervalText.fromDebezium("P0Y0M0DT0H0M-59.999998999S")).isEqualTo("PT-59.999999S");
        assertThat(PostgresIntervalText.iso(0, 0, 0, 0, 0, new BigDecimal("6.000000"))).isEqualTo("PT6S");
    }

    @Test
    void otherTextIsRefused() {
        assertThatThrownBy(() -> PostgresIntervalText.fromDebezium("1 day")).isInstanceOf(TapflowException.class)
                .hasMessageContaining("not an interval");
    }
}
