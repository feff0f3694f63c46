package io.tapflow.dsl;

import java.time.Duration;

/**
 * The text form of a {@link Duration} row value (a MySQL TIME): {@code [-]HH:MM:SS[.ffffff]}, hours unbounded, the
 * fraction only when there is one, as MySQL prints it. MySQL, PostgreSQL (interval) and people all read it back exactly.
 */
public final class DurationText {
    private DurationText() {}

    public static String format(Duration d) {
        boolean negative = d.isNegative();
        Duration abs = d.abs();
        long seconds = abs.getSeconds();
        StringBuilder sb = new StringBuilder(negative ? "-" : "");
        long hours = seconds / 3600;
        if (hours < 10) {
            sb.append('0');
        }
        sb.append(hours).append(':');
        twoDigits(sb, seconds / 60 % 60).append(':');
        twoDigits(sb, seconds % 60);
        int nanos = abs.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos);
            sb.append('.').append(nanos % 1000 == 0 ? fraction.substring(0, 6) : fraction);
        }
        return sb.toString();
    }

    /**
     * Reads {@code [-]H+:MM:SS[.f+]}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static Duration parse(String text) {
        boolean negative = text.startsWith("-");
        int firstColon = text.indexOf(':');
        int secondColon = text.indexOf(':', firstColon + 1);
        if (firstColon < 0 || secondColon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a time such as -12:30:00 or 838:59:59.5");
        }
        int dot = text.indexOf('.', secondColon);
        long hours = Long.parseLong(text.substring(negative ? 1 : 0, firstColon));
        long minutes = Long.parseLong(text.substring(firstColon + 1, secondColon));
        long seconds = Long.parseLong(text.substring(secondColon + 1, dot < 0 ? text.length() : dot));
        long nanos = 0;
        if (dot >= 0) {
            nanos = Long.parseLong((text.substring(dot + 1) + "000000000").substring(0, 9));
        }
        Duration d = Duration.ofSeconds((hours * 60 + minutes) * 60 + seconds, nanos);
        return negative ? d.negated() : d;
    }

    private static StringBuilder twoDigits(StringBuilder sb, long value) {
        return sb.append(value < 10 ? "0" : "").append(value);
    }
}
