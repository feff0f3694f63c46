package io.tapflow.flink.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.schema.Column;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;

/**
 * A JSON field of a Kafka message as the row value of its column, in the forms tapflow's own JSON value table writes
 * (decimals as numbers or exact text, dates and times as ISO-8601 text, MySQL TIME as {@code [-]HH:MM:SS[.ffffff]},
 * bytes as base64). Nothing is rounded, cut or defaulted: a value its column cannot hold exactly fails, naming the
 * field, the value and what the column takes.
 */
final class KafkaColumnValues {
    private static final int SHOWN = 60;

    private KafkaColumnValues() {}

    static Object value(Column column, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return convert(column, node);
        } catch (ArithmeticException | DateTimeParseException | IllegalArgumentException e) {
            throw refused(column, node, "not a " + column.columnType() + " value");
        }
    }

    private static Object convert(Column column, JsonNode node) {
        return switch (column.dataType()) {
            case "tinyint" -> integer(column, node, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case "smallint" -> integer(column, node, Short.MIN_VALUE, Short.MAX_VALUE);
            case "mediumint" -> integer(column, node, -8_388_608, 8_388_607);
            case "int" -> integer(column, node, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "bigint" -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw refused(column, node, "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                            + " is what a bigint holds");
                }
                yield node.longValue();
            }
            case "decimal" -> decimal(column, node);
            case "float" -> {
                BigDecimal exact = number(column, node);
                float f = exact.floatValue();
                if (Float.isInfinite(f) || !sameNumber(exact, (double) f, Float.toString(f), Double.toString(f))) {
                    throw refused(column, node, "a float cannot hold it exactly (nearest: " + f + "); declare double or decimal");
                }
                yield f;
            }
            case "double" -> {
                BigDecimal exact = number(column, node);
                double d = exact.doubleValue();
                if (Double.isInfinite(d) || !sameNumber(exact, d, Double.toString(d))) {
                    throw refused(column, node, "a double cannot hold it exactly (nearest: " + d + "); declare decimal");
                }
                yield d;
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    throw refused(column, node, "a boolean is true or false");
                }
                yield node.booleanValue();
            }
            case "char", "varchar" -> {
                String text = text(column, node);
                if (text.codePointCount(0, text.length()) > column.length()) {
                    throw refused(column, node, "it has " + text.codePointCount(0, text.length()) + " characters, more than "
                            + column.columnType() + " holds");
                }
                yield text;
            }
            // Text takes any JSON: a number, object or array as its JSON text.
            case "text" -> node.isTextual() ? node.textValue() : node.toString();
            case "json" -> {
                if (node.isTextual()) {
                    try {
                        KafkaMessageParser.JSON.readTree(node.textValue());
                    } catch (java.io.IOException e) {
                        throw refused(column, node, "the text is not JSON");
                    }
                    yield node.textValue();
                }
                yield node.toString();
            }
            case "date" -> LocalDate.parse(text(column, node));
            case "datetime" -> fraction(column, node, LocalDateTime.parse(text(column, node)));
            case "timestamp" -> {
                OffsetDateTime t;
                try {
                    t = OffsetDateTime.parse(text(column, node));
                } catch (DateTimeParseException e) {
                    throw refused(column, node, "a timestamp needs its offset, as in 2024-02-29T13:14:15.123456Z;"
                            + " declare datetime for a wall-clock time");
                }
                yield fraction(column, node, t.toInstant());
            }
            case "time" -> {
                Duration d = DurationText.parse(text(column, node));
                yield fraction(column, node, d);
            }
            case "time_of_day" -> fraction(column, node, LocalTime.parse(text(column, node)));
            case "binary", "varbinary", "blob", "tinyblob", "mediumblob", "longblob" -> {
                byte[] bytes = Base64.getDecoder().decode(text(column, node));
                if (column.length() > 0 && bytes.length > column.length()) {
                    throw refused(column, node, "it has " + bytes.length + " bytes, more than " + column.columnType() + " holds");
                }
                yield bytes;
            }
            default -> throw new TapflowException("column '" + column.name() + "' has type " + column.columnType()
                    + ", which tapflow does not read from Kafka messages");
        };
    }

    private static Integer integer(Column column, JsonNode node, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw refused(column, node, "a whole number from " + min + " to " + max + " is what " + column.columnType() + " holds");
        }
        return (int) node.longValue();
    }

    /** A number, or the exact decimal text tapflow's Kafka target writes for decimals. */
    private static BigDecimal number(Column column, JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return new BigDecimal(node.textValue().strip());
        }
        throw refused(column, node, "expected a number");
    }

    private static BigDecimal decimal(Column column, JsonNode node) {
        BigDecimal d = number(column, node);
        if (column.precision() <= 0) {
            return d; // a decimal of any size (inferred, or PostgreSQL numeric without precision)
        }
        int scale = Math.max(0, column.scale());
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() > scale) {
            throw refused(column, node, "it has more than the " + scale + " fraction digits " + column.columnType() + " holds");
        }
        BigDecimal scaled = d.setScale(scale);
        if (scaled.precision() - scaled.scale() > column.precision() - scale) {
            throw refused(column, node, "it has more than the " + (column.precision() - scale) + " integer digits "
                    + column.columnType() + " holds");
        }
        return scaled;
    }

    /**
     * True when the binary floating-point value stands for the JSON number: its exact binary value, or one of its
     * shortest texts (a float's own, as tapflow prints it, or the double's a writer widening it prints), is that number.
     */
    private static boolean sameNumber(BigDecimal json, double binary, String... shortest) {
        if (new BigDecimal(binary).compareTo(json) == 0) {
            return true;
        }
        for (String text : shortest) {
            if (new BigDecimal(text).compareTo(json) == 0) {
                return true;
            }
        }
        return false;
    }

    private static String text(Column column, JsonNode node) {
        if (!node.isTextual()) {
            throw refused(column, node, "expected a JSON string for " + column.columnType());
        }
        return node.textValue();
    }

    /** The value, unless it has more fraction digits than the column's precision keeps. */
    private static <T> T fraction(Column column, JsonNode node, T value) {
        int digits = column.precision() < 0 ? 6 : column.precision();
        long nanos = value instanceof Duration d ? Math.abs(d.toNanos() % 1_000_000_000L)
                : ((TemporalAccessor) value).getLong(ChronoField.NANO_OF_SECOND);
        if (nanos % (long) Math.pow(10, 9 - Math.min(9, digits)) != 0) {
            throw refused(column, node, "it has more than the " + digits + " fraction digits " + column.columnType() + " keeps");
        }
        return value;
    }

    private static TapflowException refused(Column column, JsonNode node, String why) {
        String shown = node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
        if (shown.length() > SHOWN) {
            shown = shown.substring(0, SHOWN) + "...";
        }
        return new TapflowException("field '" + column.name() + "' holds " + shown + ", which column " + column.name() + " ("
                + column.columnType() + ") cannot hold: " + why);
    }
}
