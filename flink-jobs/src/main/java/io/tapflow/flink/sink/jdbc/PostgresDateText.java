package io.tapflow.flink.sink.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Dates in PostgreSQL's input form, for COPY: ISO 8601 writes year 1 BC as {@code 0000} and years beyond 9999 with a
 * sign ({@code +5874897-12-31}), which PostgreSQL refuses; it wants {@code 0001-01-01 BC} and {@code 5874897-12-31}.
 * Appended by hand to the caller's builder, without String.format or a String per part: COPY formats every date of
 * every snapshot row. Times are written as {@link LocalTime#toString()} writes them.
 */
final class PostgresDateText {
    private PostgresDateText() {}

    static StringBuilder date(StringBuilder text, LocalDate d) {
        return era(yearMonthDay(text, d), d);
    }

    static StringBuilder dateTime(StringBuilder text, LocalDateTime t) {
        return era(time(yearMonthDay(text, t.toLocalDate()).append(' '), t.toLocalTime()), t.toLocalDate());
    }

    /** timestamptz: the instant in UTC, marked as such. */
    static StringBuilder instant(StringBuilder text, Instant i) {
        LocalDateTime utc = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        return era(time(yearMonthDay(text, utc.toLocalDate()).append(' '), utc.toLocalTime()).append("+00"), utc.toLocalDate());
    }

    private static StringBuilder yearMonthDay(StringBuilder text, LocalDate d) {
        int year = d.getYear() > 0 ? d.getYear() : 1 - d.getYear();
        return padded(padded(padded(text, year, 4).append('-'), d.getMonthValue(), 2).append('-'), d.getDayOfMonth(), 2);
    }

    /** HH:mm, then :ss unless seconds and nanoseconds are 0, then the fraction in 3, 6 or 9 digits as needed. */
    private static StringBuilder time(StringBuilder text, LocalTime t) {
        padded(padded(text, t.getHour(), 2).append(':'), t.getMinute(), 2);
        int nano = t.getNano();
        if (t.getSecond() > 0 || nano > 0) {
            padded(text.append(':'), t.getSecond(), 2);
            if (nano > 0) {
                text.append('.');
                if (nano % 1_000_000 == 0) {
                    padded(text, nano / 1_000_000, 3);
                } else if (nano % 1000 == 0) {
                    padded(text, nano / 1000, 6);
                } else {
                    padded(text, nano, 9);
                }
            }
        }
        return text;
    }

    /** A non-negative number with leading zeros up to {@code digits} (at most 9). */
    private static StringBuilder padded(StringBuilder text, int value, int digits) {
        for (int i = 1, limit = 10; i < digits; i++, limit *= 10) {
            if (value < limit) {
                text.append('0');
            }
        }
        return text.append(value);
    }

    private static StringBuilder era(StringBuilder text, LocalDate d) {
        return d.getYear() > 0 ? text : text.append(" BC");
    }
}
