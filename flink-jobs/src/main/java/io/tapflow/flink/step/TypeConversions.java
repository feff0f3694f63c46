package io.tapflow.flink.step;

import io.tapflow.dsl.FieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Converts row values between types for change-type steps and typed expressions. Wall-clock values (DATE, DATETIME)
 * and instants convert at UTC, the same rule the sources use, so a conversion never depends on the JVM's zone.
 */
public final class TypeConversions {
    private TypeConversions() {}

    /** @throws IllegalArgumentException naming the field, the value and the type when the value does not convert */
    public static Object convert(Object value, FieldType to, String field) {
        if (value == null) {
            return null;
        }
        try {
            Object converted = switch (to) {
                case STRING -> text(value);
                case INTEGER -> integer(value);
                case DECIMAL -> decimal(value);
                case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(text(value).trim());
                case BOOLEAN -> bool(value);
                case EPOCH_MILLIS -> instant(value).toEpochMilli();
                case DATE -> value instanceof LocalDate d ? d : dateTime(value).toLocalDate();
                case DATETIME -> dateTime(value);
                case TIMESTAMP -> instant(value);
            };
            if (converted == null) {
                throw new IllegalArgumentException();
            }
            return converted;
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' value '" + text(value) + "' (" + value.getClass().getSimpleName()
                    + ") cannot be converted to " + to.jsonName() + hint(to), e);
        }
    }

    private static String hint(FieldType to) {
        return switch (to) {
            case INTEGER -> "; expected a whole number";
            case DECIMAL, DOUBLE -> "; expected a number such as 12.5";
            case BOOLEAN -> "; expected true/false, 1/0 or yes/no";
            case DATE -> "; expected a date such as 2024-05-01, a date-time, or epoch milliseconds";
            case DATETIME, TIMESTAMP, EPOCH_MILLIS -> "; expected a date-time such as 2024-05-01T12:30:00 (UTC), or epoch milliseconds";
            case STRING -> "";
        };
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[]) {
            throw new IllegalArgumentException("binary values have no text form");
        }
        if (value instanceof java.time.Duration d) {
            return io.tapflow.dsl.DurationText.format(d);
        }
        return String.valueOf(value);
    }

    private static Long integer(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal d) {
            return d.longValueExact();
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).longValueExact();
        }
        return new BigDecimal(text(value).trim()).longValueExact();
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return new BigDecimal(text(value).trim());
    }

    private static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (text(value).trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y" -> true;
            case "false", "0", "no", "n" -> false;
            default -> null;
        };
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Number) {
            return Instant.ofEpochMilli(integer(value));
        }
        if (value instanceof String s && s.trim().endsWith("Z")) {
            return Instant.parse(s.trim());
        }
        return dateTime(value).toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime dateTime(Object value) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (value instanceof Instant || value instanceof Number || value instanceof String s && s.trim().endsWith("Z")) {
            return LocalDateTime.ofInstant(instant(value), ZoneOffset.UTC);
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.matches("-?\\d+")) {
                return LocalDateTime.ofInstant(Instant.ofEpochMilli(Long.parseLong(t)), ZoneOffset.UTC);
            }
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t.replace(' ', 'T'));
        }
        throw new IllegalArgumentException("not a date or time");
    }
}
