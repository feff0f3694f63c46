package io.tapflow.udf;

import java.math.BigDecimal;
import io.tapflow.dsl.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyDate;
import org.graalvm.polyglot.proxy.ProxyInstant;
import org.graalvm.polyglot.proxy.ProxyTime;

/**
 * Row values into guest code and back. Rows hold tapflow's row value types (Boolean, Integer, Long, BigDecimal, Float,
 * Double, String, byte[], LocalDate, LocalTime, LocalDateTime, Instant, Duration); guest code sees them as its own
 * numbers, strings, booleans and dates, and a Duration (MySQL TIME) as its text such as {@code -01:30:00}. A value guest code writes is converted back at once, so no polyglot {@link Value}
 * ever leaves the context. Numbers keep the Java type the field had where they fit it.
 */
final class GuestValues {
    private GuestValues() {}

    static Object toGuest(Object value) {
        if (value instanceof BigDecimal d) {
            // Guest languages have no exact decimal; untouched fields keep their exact value (see RecordProxy).
            return d.doubleValue();
        }
        if (value instanceof Instant i) {
            return ProxyInstant.from(i);
        }
        if (value instanceof LocalDate d) {
            return ProxyDate.from(d);
        }
        if (value instanceof LocalTime t) {
            return ProxyTime.from(t);
        }
        if (value instanceof LocalDateTime t) {
            return new WallClockProxy(t);
        }
        if (value instanceof Duration d) {
            // A MySQL TIME, which may be negative or beyond a day: neither language has such a type; its text is exact.
            return DurationText.format(d);
        }
        if (value instanceof byte[] bytes) {
            Object[] values = new Object[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                values[i] = (int) bytes[i];
            }
            return ProxyArray.fromArray(values);
        }
        return value;
    }

    /**
     * A guest value as a row value; {@code previous} is the field's value before (or null), whose type a number keeps.
     *
     * @throws IllegalArgumentException for values no row can hold (objects, arrays, functions)
     */
    static Object toHost(Value v, Object previous, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isNumber()) {
            return number(v, previous);
        }
        if (v.isInstant()) {
            return v.asInstant();
        }
        if (v.isDate() && v.isTime()) {
            return LocalDateTime.of(v.asDate(), v.asTime());
        }
        if (v.isDate()) {
            return v.asDate();
        }
        if (v.isTime()) {
            return v.asTime();
        }
        throw new IllegalArgumentException("field '" + field + "' was given " + describe(v)
                + ", which a row cannot hold; use a string, number, boolean, date or null (JSON.stringify / json.dumps for structures)");
    }

    private static Object number(Value v, Object previous) {
        if (previous instanceof Integer && v.fitsInInt()) {
            return v.asInt();
        }
        if (previous instanceof BigDecimal) {
            return v.fitsInLong() ? BigDecimal.valueOf(v.asLong()) : BigDecimal.valueOf(v.asDouble());
        }
        if (previous instanceof Float && v.fitsInFloat()) {
            return v.asFloat();
        }
        if (previous instanceof Double) {
            return v.asDouble();
        }
        if (v.fitsInLong()) {
            return v.asLong();
        }
        if (v.fitsInBigInteger()) {
            return new BigDecimal(v.asBigInteger());
        }
        return v.asDouble();
    }

    static String describe(Value v) {
        if (v.hasArrayElements()) {
            return "an array";
        }
        if (v.canExecute()) {
            return "a function";
        }
        return "an object (" + v.getMetaObject() + ")";
    }

    /** A date-time without zone, as guest code sees a DATETIME column. */
    private record WallClockProxy(LocalDateTime value) implements ProxyDate, ProxyTime {
        @Override
        public LocalDate asDate() {
            return value.toLocalDate();
        }

        @Override
        public LocalTime asTime() {
            return value.toLocalTime();
        }
    }
}
