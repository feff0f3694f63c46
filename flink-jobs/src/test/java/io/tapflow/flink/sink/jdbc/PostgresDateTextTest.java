package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class PostgresDateTextTest {
    @Test
    void padsYearsMonthsAndDaysAndWritesTheEraAsPostgreSqlReadsIt() {
        assertThat(PostgresDateText.date(LocalDate.of(2026, 1, 5))).isEqualTo("2026-01-05");
        assertThat(PostgresDateText.date(LocalDate.of(999, 12, 31))).isEqualTo("0999-12-31");
        assertThat(PostgresDateText.date(LocalDate.of(0, 1, 1))).isEqualTo("0001-01-01 BC");
        assertThat(PostgresDateText.date(LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
        assertThat(PostgresDateText.date(LocalDate.of(5874897, 12, 31))).isEqualTo("5874897-12-31");
        assertThat(PostgresDateText.dateTime(LocalDateTime.of(2026, 2, 3, 4, 5, 6, 7_000_000)))
                .isEqualTo("2026-02-03 04:05:06.007");
        assertThat(PostgresDateText.dateTime(LocalDateTime.of(-1, 6, 1, 0, 0))).isEqualTo("0002-06-01 00:00 BC");
        assertThat(PostgresDateText.instant(Instant.parse("1970-01-01T00:00:01Z"))).isEqualTo("1970-01-01 00:00:01+00");
    }
}
