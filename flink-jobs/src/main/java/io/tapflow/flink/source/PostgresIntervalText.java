package io.tapflow.flink.source;

import io.tapflow.dsl.TapflowException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL interval as the ISO 8601 text PostgreSQL itself prints with {@code IntervalStyle = iso_8601}
 * ({@code P1Y2M3DT4H5M6.78S}, {@code P-1M2DT-3H}, {@code PT0S}): years, months, days and the time part each keep their
 * own sign, so mixed signs survive, and PostgreSQL reads the text back as the same interval. Months and days are not a
 * fixed number of seconds, which is why an interval never becomes a number or a Duration.
 */
public final class PostgresIntervalText {
    /** Debezium 1.9's form ({@code interval.handling.mode=string}): every part, seconds as a decimal. */
    private static final Pattern DEBEZIUM = Pattern.compile(
            "P(-?\\d+)Y(-?\\d+)M(-?\\d+)DT(-?\\d+)H(-?\\d+)M(-?\\d+(?:\\.\\d+)?)S");
    /** PostgreSQL keeps intervals to the microsecond. */
    private static final int MICROS_DIGITS = 6;

    private PostgresIntervalText() {}

    /**
     * Debezium's text of an interval, which it builds from the driver's seconds as a double cut (not rounded) to nine
     * digits: {@code 0.000001} arrives as {@code 0.000000999}. Rounding to the microsecond gives the exact value back,
     * since the double is far closer than half a microsecond for any seconds part (below 60).
     */
    public static String fromDebezium(String text) {
        Matcher m = DEBEZIUM.matcher(text);
        if (!m.matches()) {
            throw new TapflowException("it is not an interval in the form P..Y..M..DT..H..M..S");
        }
        return iso(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), new BigDecimal(m.group(6)));
    }

    /** The text PostgreSQL prints for these parts (zero parts left out, seconds without trailing zeros). */
    public static String iso(int years, int months, int days, int hours, int minutes, BigDecimal seconds) {
        BigDecimal s = seconds.setScale(MICROS_DIGITS, RoundingMode.HALF_UP);
        boolean time = hours != 0 || minutes != 0 || s.signum() != 0;
        if (years == 0 && months == 0 && days == 0 && !time) {
            return "PT0S";
        }
        StringBuilder out = new StringBuilder("P");
        part(out, years, 'Y');
        part(out, months, 'M');
        part(out, days, 'D');
        if (time) {
            out.append('T');
            part(out, hours, 'H');
            part(out, minutes, 'M');
            if (s.signum() != 0) {
                out.append(s.stripTrailingZeros().toPlainString()).append('S');
            }
        }
        return out.toString();
    }

    private static void part(StringBuilder out, int value, char unit) {
        if (value != 0) {
            out.append(value).append(unit);
        }
    }
}
