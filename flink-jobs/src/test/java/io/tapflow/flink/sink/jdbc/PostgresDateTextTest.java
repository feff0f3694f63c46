package io.tapflow.flink.sink.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PostgresDateTextTest {
    @Test
    void padsYearsMonthsAndDaysAndWritesTheEraAsPostgreSqlReadsIt() {
        assertThat(date(LocalDate.of(2026, 1, 5))).isEqualTo("2026-01-05");
        assertThat(date(LocalDate.of(999, 12, 31))).isEqualTo("0999-12-31");
        assertThat(date(LocalDate.of(0, 1, 1))).isEqualTo("0001-01-01 BC");
        assertThat(date(LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
        assertThat(date(LocalDate.of(5874897, 12, 31))).isEqualTo("5874897-12-31");
        assertThat(dateTime(LocalDateTime.of(2026, 2, 3, 4, 5, 6, 7_000_000))).isEqualTo("2026-02-03 04:05:06.007");
        assertThat(dateTime(LocalDateTime.of(-1, 6, 1, 0, 0))).isEqualTo("0002-06-01 00:00 BC");
        assertThat(instant(Instant.parse("1970-01-01T00:00:01Z"))).isEqualTo("1970-01-01 00:00:01+00");
        assertThat(dateTime(LocalDateTime.of(2026, 2, 3, 4, 5, 0, 10))).isEqualTo("2026-02-03 04:05:00.000000010");
        assertThat(dateTime(LocalDateTime.of(2026, 2, 3, 4, 5, 0, 120_000))).isEqualTo("2026-02-03 04:05:00.000120");
    }

    /** The time part is exactly what LocalTime.toString writes, as it was before times were appended by hand. */
    @Test
    void timesAreWrittenAsLocalTimeWritesThem() {
        Random random = new Random(7);
        int[] nanoSteps = {1, 1000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < 100_000; i++) {
            LocalDateTime t = LocalDateTime.of(random.nextInt(12_000) - 2000, 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(3) == 0 ? 0 : random.nextInt(60),
                    nano(random, nanoSteps));
            int year = t.getYear() > 0 ? t.getYear() : 1 - t.getYear();
            String era = t.getYear() > 0 ? "" : " BC";
            String day = String.format("%04d-%02d-%02d", year, t.getMonthValue(), t.getDayOfMonth());
            assertThat(dateTime(t)).isEqualTo(day + " " + t.toLocalTime() + era);
            assertThat(instant(t.toInstant(ZoneOffset.UTC))).isEqualTo(day + " " + t.toLocalTime() + "+00" + era);
            assertThat(date(t.toLocalDate())).isEqualTo(day + era);
        }
    }

    private static int nano(Random random, int[] steps) {
        int step = steps[random.nextInt(steps.length)];
        return random.nextInt(1_000_000_000 / step) * step;
    }

    private static String date(LocalDate d) {
        return PostgresDateText.date(new StringBuilder(), d).toString();
    }

    private static String dateTime(LocalDateTime t) {
        return PostgresDateText.dateTime(new StringBuilder(), t).toString();
    }

    private static String instant(Instant i) {
        return PostgresDateText.instant(new StringBuilder(), i).toString();
    }
}
