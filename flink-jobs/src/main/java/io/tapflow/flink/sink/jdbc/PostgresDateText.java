package io.tapflow.flink.sink.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Dates in PostgreSQL's input form, for COPY: ISO 8601 writes year 1 BC as {@code 0000} and years beyond 9999 with a
 * sign ({@code +5874897-12-31}), which PostgreSQL refuses; it wants {@code 0001-01-01 BC} and {@code 5874897-12-31}.
 * Built by hand, not with String.format: COPY formats every date of every snapshot row.
 */
final class PostgresDateText {
    private PostgresDateText() {}

    static String date(LocalDate d) {
        return yearMonthDay(new StringBuilder(16), d).append(era(d)).toString();
    }

    static String dateTime(LocalDateTime t) {
        return yearMonthDay(new StringBuilder(32), t.toLocalDate()).append(' ').append(t.toLocalTime())
                .append(era(t.toLocalDate())).toString();
    }

    /** timestamptz: the instant in UTC, marked as such. */
    static String instant(Instant i) {
        LocalDateTime utc = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        return yearMonthDay(new StringBuilder(36), utc.toLocalDate()).append(' ').append(utc.toLocalTime()).append("+00")
                .append(era(utc.toLocalDate())).toString();
    }

    private static StringBuilder yearMonthDay(StringBuilder text, LocalDate d) {
        int year = d.getYear() > 0 ? d.getYear() : 1 - d.getYear();
        return padded(padded(padded(text, year, 4).append('-'), d.getMonthValue(), 2).append('-'), d.getDayOfMonth(), 2);
    }

    /** A non-negative number with leading zeros up to {@code digits}. */
    private static StringBuilder padded(StringBuilder text, int value, int digits) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < digits; i++) {
            text.append('0');
        }
        return text.append(s);
    }

    private static String era(LocalDate d) {
        return d.getYear() > 0 ? "" : " BC";
    }
}
