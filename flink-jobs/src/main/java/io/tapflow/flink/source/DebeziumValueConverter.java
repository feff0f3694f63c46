package io.tapflow.flink.source;

import io.tapflow.dsl.TapflowException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * The one place where MySQL and PostgreSQL values, as Debezium hands them over, become tapflow row values ({@link
 * io.tapflow.flink.event.RowValues}), in the snapshot and in the change stream alike. The rules for MySQL:
 * <ul>
 *   <li>TINYINT..INT (signed), MEDIUMINT, SMALLINT UNSIGNED, YEAR → Integer; INT UNSIGNED and BIGINT → Long;
 *       BIGINT UNSIGNED and DECIMAL → BigDecimal (exact); FLOAT → Float; DOUBLE → Double.</li>
 *   <li>CHAR, VARCHAR, TEXT, ENUM, SET (comma separated), JSON (its text) → String; BINARY, VARBINARY, BLOB → byte[];
 *       BIT(1) → Boolean; BIT(n) → Long (the bits as an unsigned number).</li>
 *   <li>DATE → LocalDate; TIME → LocalTime (values outside 00:00..24:00 are rejected with a clear error).</li>
 *   <li>Time zones: DATETIME is a wall-clock value and stays one (LocalDateTime, never shifted). TIMESTAMP is an
 *       absolute instant (Instant); MySQL stores it in UTC and tapflow reads it through the server time zone, so the
 *       session zone of the writing client does not matter.</li>
 * </ul>
 * PostgreSQL (Debezium's postgres connector with {@code decimal.handling.mode=precise},
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code binary.handling.mode=bytes}):
 * <ul>
 *   <li>int2, int4 → Integer; int8 → Long; numeric(p,s) and numeric without precision → BigDecimal (exact);
 *       real → Float; double precision → Double; bool → Boolean; bytea → byte[].</li>
 *   <li>text, varchar, char, uuid, json, jsonb (the server's text of the value) → String.</li>
 *   <li>date (epoch days) → LocalDate; time (micros of day) → LocalTime; timestamp (epoch micros or millis, the
 *       wall-clock value encoded as UTC) → LocalDateTime, never shifted; timestamptz (an ISO string in UTC) → Instant.</li>
 * </ul>
 * Converters are built once per Debezium schema and cached: the per-record path does no name lookups.
 */
final class DebeziumValueConverter {
    /** Converts one field value. */
    interface FieldConverter {
        Object convert(Object value);
    }

    private final Map<Schema, List<NamedConverter>> cache = new IdentityHashMap<>();

    private record NamedConverter(Field field, FieldConverter converter) {}

    Map<String, Object> convertRow(Struct struct, String table) {
        if (struct == null) {
            return null;
        }
        List<NamedConverter> converters = cache.computeIfAbsent(struct.schema(), s -> buildConverters(s, table));
        Map<String, Object> row = new LinkedHashMap<>(Math.max(4, (int) (converters.size() / 0.75f) + 1));
        for (NamedConverter nc : converters) {
            Object raw = struct.get(nc.field());
            row.put(nc.field().name(), raw == null ? null : nc.converter().convert(raw));
        }
        return row;
    }

    private static List<NamedConverter> buildConverters(Schema schema, String table) {
        List<NamedConverter> list = new ArrayList<>();
        for (Field f : schema.fields()) {
            list.add(new NamedConverter(f, converterFor(f.schema(), table + "." + f.name())));
        }
        return list;
    }

    static FieldConverter converterFor(Schema schema, String column) {
        String name = schema.name();
        // Compared by constant: the CDC jar relocates Kafka Connect, and with it the Decimal logical type's name.
        if (Decimal.LOGICAL_NAME.equals(name)) {
            return v -> (BigDecimal) v;
        }
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return v -> LocalDate.ofEpochDay(((Number) v).longValue());
                case "io.debezium.time.Time":
                    return v -> MySqlTimeOfDay.of(((Number) v).longValue() * 1_000_000L, column);
                case "io.debezium.time.MicroTime":
                    return v -> MySqlTimeOfDay.of(((Number) v).longValue() * 1_000L, column);
                case "io.debezium.time.NanoTime":
                    return v -> MySqlTimeOfDay.of(((Number) v).longValue(), column);
                case "io.debezium.time.Timestamp":
                    return v -> wallClock(((Number) v).longValue() * 1_000_000L);
                case "io.debezium.time.MicroTimestamp":
                    return v -> wallClock(((Number) v).longValue() * 1_000L);
                case "io.debezium.time.NanoTimestamp":
                    return v -> wallClock(((Number) v).longValue());
                case "io.debezium.time.ZonedTimestamp":
                    return v -> OffsetDateTime.parse((String) v).toInstant();
                case "io.debezium.time.Year":
                    return v -> ((Number) v).intValue();
                case "io.debezium.data.VariableScaleDecimal":
                    return v -> variableScaleDecimal((Struct) v);
                case "io.debezium.data.Bits":
                    return v -> bitsAsLong(bytes(v));
                case "io.debezium.data.Enum":
                case "io.debezium.data.EnumSet":
                case "io.debezium.data.Json":
                    return v -> (String) v;
                default:
                    break;
            }
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32 -> v -> ((Number) v).intValue();
            case INT64 -> v -> ((Number) v).longValue();
            case FLOAT32 -> v -> ((Number) v).floatValue();
            case FLOAT64 -> v -> ((Number) v).doubleValue();
            case BOOLEAN -> v -> (Boolean) v;
            case STRING -> v -> (String) v;
            case BYTES -> DebeziumValueConverter::bytes;
            default -> v -> {
                throw new TapflowException("column " + column + " has a type tapflow does not support yet ("
                        + (name != null ? name : schema.type()) + ")");
            };
        };
    }

    /** Debezium encodes DATETIME as if it were UTC; decoding with UTC gives back the original wall-clock value. */
    private static LocalDateTime wallClock(long epochNanos) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                (int) Math.floorMod(epochNanos, 1_000_000_000L), ZoneOffset.UTC);
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** PostgreSQL numeric without precision: each value carries its own scale next to its unscaled digits. */
    private static BigDecimal variableScaleDecimal(Struct value) {
        return new BigDecimal(new BigInteger(bytes(value.get("value"))), value.getInt32("scale"));
    }

    /** Debezium's Bits are little-endian. */
    private static long bitsAsLong(byte[] littleEndian) {
        long value = 0;
        for (int i = Math.min(littleEndian.length, 8) - 1; i >= 0; i--) {
            value = (value << 8) | (littleEndian[i] & 0xFF);
        }
        return value;
    }

}
