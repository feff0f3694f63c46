package io.tapflow.flink.source.mysql;

import io.tapflow.flink.source.InvalidDate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses the server's text of DATE ({@code YYYY-MM-DD}), DATETIME and TIMESTAMP ({@code YYYY-MM-DD HH:MM:SS[.f]}, for
 * TIMESTAMP in the session zone UTC). A value with year, month or day 0 becomes an {@link InvalidDate} for the
 * zero-date rule: the binlog reader cannot deliver those either, so both paths treat them alike.
 */
public final class MySqlTemporalText {
    /** Parses one column's text. */
    public interface Parser {
        Object parse(String text);
    }

    private MySqlTemporalText() {}

    public static boolean isDate(String dataType) {
        return dataType.equals("date") || dataType.equals("datetime") || dataType.equals("timestamp");
    }

    public static Parser parser(String dataType) {
        return switch (dataType) {
            case "date" -> MySqlTemporalText::date;
            case "datetime" -> MySqlTemporalText::dateTime;
            case "timestamp" -> text -> {
                Object value = dateTime(text);
                return value instanceof LocalDateTime utc ? utc.toInstant(ZoneOffset.UTC) : value;
            };
            default -> throw new IllegalArgumentException("not a date type: " + dataType);
        };
    }

    static Object date(String text) {
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        return year == 0 || month == 0 || day == 0 ? new InvalidDate(text) : LocalDate.of(year, month, day);
    }

    static Object dateTime(String text) {
        Object date = date(text);
        if (!(date instanceof LocalDate d)) {
            return date;
        }
        int nanos = 0;
        if (text.length() > 20) {
            // Up to 9 fraction digits, as nanoseconds: "123" is 123,000,000 (no substring or parse per value).
            int to = Math.min(text.length(), 29);
            nanos = digits(text, 20, to);
            for (int i = to - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        return LocalDateTime.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth(),
                digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), nanos);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("unexpected date text from the server: '" + text + "'");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
