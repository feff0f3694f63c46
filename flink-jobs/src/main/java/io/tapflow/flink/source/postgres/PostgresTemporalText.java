package io.tapflow.flink.source.postgres;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Parses PostgreSQL's text of date, time, timestamp and timestamptz (the latter in a UTC session), with what Java's
 * parsers do not take: years beyond 9999, {@code BC} (year 1 BC is year 0 in ISO, as in {@link LocalDate}) and
 * {@code 24:00:00}; {@code instant} is timestamptz text with any offset. Returns null for what no row value can hold ({@code infinity}, {@code 24:00:00}); the caller
 * refuses it.
 */
final class PostgresTemporalText {
    private PostgresTemporalText() {}

    static Object parse(String dataType, String text) {
        if (text.endsWith("infinity")) {
            return null;
        }
        return switch (dataType) {
            case "time_of_day" -> text.startsWith("24:") ? null : LocalTime.parse(text);
            case "date" -> date(text);
            case "datetime" -> dateTime(text);
            case "timestamp" -> dateTime(withoutUtcOffset(text)).toInstant(ZoneOffset.UTC);
            case "instant" -> instant(text);
            default -> throw new IllegalArgumentException("not a temporal type: " + dataType);
        };
    }

    private static LocalDate date(String text) {
        boolean bc = text.endsWith(" BC");
        String ymd = bc ? text.substring(0, text.length() - 3) : text;
        int dash2 = ymd.lastIndexOf('-');
        int dash1 = ymd.lastIndexOf('-', dash2 - 1);
        int year = Integer.parseInt(ymd.substring(0, dash1));
        return LocalDate.of(bc ? 1 - year : year, Integer.parseInt(ymd.substring(dash1 + 1, dash2)),
                Integer.parseInt(ymd.substring(dash2 + 1)));
    }

    private static LocalDateTime dateTime(String text) {
        boolean bc = text.endsWith(" BC");
        String body = bc ? text.substring(0, text.length() - 3) : text;
        int space = body.indexOf(' ');
        LocalDate date = date(body.substring(0, space) + (bc ? " BC" : ""));
        return LocalDateTime.of(date, LocalTime.parse(body.substring(space + 1)));
    }

    /**
     * timestamptz text in any session's time zone, which PostgreSQL prints with its offset from UTC ({@code +05:30},
     * {@code -08}, {@code +00:53:28} for a zone's local mean time), as an array's element may be.
     */
    private static Instant instant(String text) {
        boolean bc = text.endsWith(" BC");
        String body = bc ? text.substring(0, text.length() - 3) : text;
        int time = body.indexOf(' ') + 1;
        int sign = Math.max(body.indexOf('+', time), body.indexOf('-', time));
        return dateTime(body.substring(0, sign) + (bc ? " BC" : "")).toInstant(ZoneOffset.of(body.substring(sign)));
    }

    /** timestamptz text in a UTC session ends in {@code +00} (before a {@code BC}). */
    private static String withoutUtcOffset(String text) {
        boolean bc = text.endsWith(" BC");
        String body = bc ? text.substring(0, text.length() - 3) : text;
        if (!body.endsWith("+00")) {
            throw new IllegalArgumentException("expected a UTC timestamp, got '" + text + "'");
        }
        return body.substring(0, body.length() - 3) + (bc ? " BC" : "");
    }
}
