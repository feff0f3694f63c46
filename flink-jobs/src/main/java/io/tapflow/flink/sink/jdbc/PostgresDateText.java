package io.tapflow.flink.sink.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Dates in PostgreSQL's input form, for COPY: ISO 8601 writes year 1 BC as {@code 0000} and years beyond 9999 with a
 * sign ({@code +5874897-12-31}), which PostgreSQL refuses; it wants {@code 0001-01-01 BC} and {@code 5874897-12-31}.
 */
final class PostgresDateText {
    private PostgresDateText() {}

    static String date(LocalDate d) {
        return yearMonthDay(d) + era(d);
    }

    static String dateTime(LocalDateTime t) {
        return yearMonthDay(t.toLocalDate()) + " " + t.toLocalTime() + era(t.toLocalDate());
    }

    /** timestamptz: the instant in UTC, marked as such. */
    static String instant(Instant i) {
        LocalDateTime utc = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        return yearMonthDay(utc.toLocalDate()) + " " + utc.toLocalTime() + "+00" + era(utc.toLocalDate());
    }

    private static String yearMonthDay(LocalDate d) {
        int year = d.getYear() > 0 ? d.getYear() : 1 - d.getYear();
        return (year < 1000 ? String.format("%04d", year) : String.valueOf(year)) + "-"
                + String.format("%02d-%02d", d.getMonthValue(), d.getDayOfMonth());
    }

    private static String era(LocalDate d) {
        return d.getYear() > 0 ? "" : " BC";
    }
}
