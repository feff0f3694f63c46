package io.tapflow.flink.verify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;

/** A time value as a column with a number of fractional second digits stores it: rounded half up, as MySQL and PostgreSQL do. */
final class TemporalPrecision {
    private TemporalPrecision() {}

    /** @param digits 0..9; values of other types come back unchanged */
    static Object round(Object value, int digits) {
        if (digits >= 9 || digits < 0) {
            return value;
        }
        if (value instanceof Instant i) {
            return Instant.ofEpochSecond(i.getEpochSecond(), roundedNanos(i.getNano(), digits));
        }
        if (value instanceof LocalDateTime t) {
            return t.withNano(0).plusNanos(roundedNanos(t.getNano(), digits));
        }
        if (value instanceof LocalTime t) {
            return t.withNano(0).plusNanos(roundedNanos(t.getNano(), digits));
        }
        if (value instanceof Duration d) {
            long sign = d.isNegative() ? -1 : 1;
            Duration abs = d.abs();
            return Duration.ofSeconds(abs.getSeconds()).plusNanos(roundedNanos(abs.getNano(), digits)).multipliedBy(sign);
        }
        return value;
    }

    /** Nanoseconds rounded to the digits; may be a whole second (carrying into the seconds). */
    private static long roundedNanos(int nanos, int digits) {
        return new BigDecimal(nanos).movePointLeft(9).setScale(digits, RoundingMode.HALF_UP).movePointRight(9).longValueExact();
    }
}
