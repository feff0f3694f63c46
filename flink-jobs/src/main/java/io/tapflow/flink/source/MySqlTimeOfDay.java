package io.tapflow.flink.source;

import io.tapflow.dsl.TapflowException;
import java.time.LocalTime;

/** MySQL TIME values as times of day: the one rule for the snapshot and the binlog path. */
public final class MySqlTimeOfDay {
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private MySqlTimeOfDay() {}

    /** A TIME value given as nanoseconds; TIME spans -838..838 hours, tapflow accepts 00:00 up to (not incl.) 24:00. */
    public static LocalTime of(long nanos, String column) {
        if (nanos < 0 || nanos >= NANOS_PER_DAY) {
            throw new TapflowException("column " + column + " holds the TIME value " + (nanos / 1_000_000_000L / 3600) + "h"
                    + ", outside 00:00..24:00; tapflow maps TIME to a time of day");
        }
        return LocalTime.ofNanoOfDay(nanos);
    }

    /** A TIME value as the server renders it: {@code [-]H+:MM:SS[.ffffff]}. */
    public static LocalTime parse(String text, String column) {
        boolean negative = text.startsWith("-");
        int firstColon = text.indexOf(':');
        int secondColon = text.indexOf(':', firstColon + 1);
        int dot = text.indexOf('.', secondColon);
        long hours = Long.parseLong(text.substring(negative ? 1 : 0, firstColon));
        long minutes = Long.parseLong(text.substring(firstColon + 1, secondColon));
        long seconds = Long.parseLong(text.substring(secondColon + 1, dot < 0 ? text.length() : dot));
        long nanos = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000L;
        if (dot >= 0) {
            String fraction = (text.substring(dot + 1) + "000000000").substring(0, 9);
            nanos += Long.parseLong(fraction);
        }
        return of(negative ? -nanos : nanos, column);
    }
}
