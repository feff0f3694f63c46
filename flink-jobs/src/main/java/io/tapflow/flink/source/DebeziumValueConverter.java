package io.tapflow.flink.source;

import io.tapflow.dsl.DurationText;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.source.postgres.PostgresArrayColumns;
import io.tapflow.flink.source.postgres.PostgresArrayLiteral;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * The one place where MySQL and PostgreSQL values, as Debezium hands them over, become tapflow row values ({@link
 * io.tapflow.flink.event.RowValues}) on the change stream; the MySQL snapshot reader ({@code MySqlRowReader}) follows
 * the same rules, and {@code TypeMappingITCase} / {@code ValueEdgesITCase} check that both paths agree. MySQL:
 * <ul>
 *   <li>TINYINT..INT (signed), MEDIUMINT, SMALLINT UNSIGNED, YEAR → Integer; INT UNSIGNED and BIGINT → Long;
 *       BIGINT UNSIGNED and DECIMAL → BigDecimal (exact); FLOAT → Float; DOUBLE → Double.</li>
 *   <li>CHAR, VARCHAR, TEXT, ENUM, SET (comma separated), JSON (its text) → String; BINARY, VARBINARY, BLOB → byte[];
 *       BIT(1) → Boolean; BIT(2..63) → Long; BIT(64) → BigDecimal (the bits as an unsigned number, so the high bit
 *       never turns into a sign); spatial types → byte[] (MySQL's SRID + WKB, see {@link MySqlColumnTypes}).</li>
 *   <li>DATE → LocalDate; TIME → Duration (signed, -838:59:59..838:59:59, exact to the microsecond).</li>
 *   <li>Time zones: DATETIME is a wall-clock value and stays one (LocalDateTime, never shifted). TIMESTAMP is an
 *       absolute instant (Instant); MySQL stores it in UTC and tapflow reads it through the server time zone, so the
 *       session zone of the writing client does not matter. A zero TIMESTAMP (the binlog's epoch 0, which no real
 *       TIMESTAMP can hold) goes through {@link ZeroDateRule}.</li>
 *   <li>NULL is read as NULL, never as the column's DEFAULT (Kafka Connect's {@code Struct.get} would give the
 *       default for a null).</li>
 * </ul>
 * PostgreSQL (Debezium's postgres connector with {@code decimal.handling.mode=string} plus the source column type,
 * {@code time.precision.mode=adaptive_time_microseconds}, {@code binary.handling.mode=bytes}):
 * <ul>
 *   <li>int2, int4 → Integer; int8 → Long; numeric(p,s) and numeric without precision → BigDecimal (exact; NaN and
 *       ±Infinity are refused);
 *       real → Float; double precision → Double; bool → Boolean; bytea → byte[].</li>
 *   <li>text, varchar, char, citext, uuid, json, jsonb, xml, inet, cidr, macaddr, macaddr8 (the server's text of the value) →
 *       String; tsvector (unknown to Debezium, so the UTF-8 bytes of its text) → String.</li>
 *   <li>one-dimensional arrays of those types (the server's array text, {@link PostgresArrayColumns}) → a List of
 *       the elements' values, NULL elements kept; a multi-dimensional value or one not indexed from 1 is refused
 *       ({@link PostgresArrayLiteral}).</li>
 *   <li>date (epoch days) → LocalDate; time (micros of day) → LocalTime; timestamp (epoch micros or millis, the
 *       wall-clock value encoded as UTC) → LocalDateTime, never shifted; timestamptz (an ISO string in UTC) → Instant;
 *       interval (Debezium's ISO text, {@code interval.handling.mode=string}) → String, PostgreSQL's own ISO 8601
 *       text of it ({@link PostgresIntervalText}).</li>
 * </ul>
 * Converters are built once per Debezium schema and cached: the per-record path does no name lookups.
 */
final class DebeziumValueConverter {
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** Days from 1970-01-01 to 2000-01-01, PostgreSQL's own epoch. */
    private static final int POSTGRES_EPOCH_DAYS = 10_957;
    /** pgjdbc's PGStatement.DATE_POSITIVE_INFINITY and DATE_NEGATIVE_INFINITY. */
    private static final long POSTGRES_TIMESTAMP_INFINITY = 9_223_372_036_825_200_000L;
    private static final long POSTGRES_TIMESTAMP_NEGATIVE_INFINITY = -9_223_372_036_832_400_000L;

    /** Converts one field value. */
    interface FieldConverter {
        Object convert(Object value);
    }

    private final Map<Schema, List<NamedConverter>> cache = new IdentityHashMap<>();
    private final boolean mysql;
    private final boolean nullDatesSuspect;
    private final Set<String> numericColumns;
    private boolean sawSuspect;
    private boolean sawRefused;

    /**
     * @param mysql            whether the values come from MySQL/MariaDB (else PostgreSQL): TIME and TIMESTAMP differ
     * @param nullDatesSuspect whether a NULL DATE/DATETIME is a {@link SuspectValue} too (the zero-date rule is error)
     */
    DebeziumValueConverter(boolean mysql, boolean nullDatesSuspect) {
        this(mysql, nullDatesSuspect, Set.of());
    }

    /** @param numericColumns "schema.table.column" of PostgreSQL numeric columns, domains over numeric included */
    DebeziumValueConverter(boolean mysql, boolean nullDatesSuspect, Set<String> numericColumns) {
        this.mysql = mysql;
        this.nullDatesSuspect = nullDatesSuspect;
        this.numericColumns = numericColumns;
    }

    /** Whether a row converted since the last call held a {@link SuspectValue} or an {@link InvalidDate}; resets. */
    boolean takeSawSuspect() {
        boolean saw = sawSuspect;
        sawSuspect = false;
        return saw;
    }

    /** A field's converter; {@code checked} is set for MySQL fields whose values may be suspect (see {@link #isSuspect}). */
    private record NamedConverter(Field field, FieldConverter converter, boolean checked, boolean hasDefault) {}

    Map<String, Object> convertRow(Struct struct) {
        if (struct == null) {
            return null;
        }
        List<NamedConverter> converters = cache.computeIfAbsent(struct.schema(), this::buildConverters);
        Map<String, Object> row = new LinkedHashMap<>(Math.max(4, (int) (converters.size() / 0.75f) + 1));
        for (NamedConverter nc : converters) {
            // struct.get(field) returns the column's DEFAULT where the value is NULL; reading by name does not, but
            // costs a lookup, so only where there is a default.
            Object raw = nc.hasDefault() ? struct.getWithoutDefault(nc.field().name()) : struct.get(nc.field());
            Object value = raw == null ? null : convert(nc.converter(), raw);
            if (nc.checked() && isSuspect(nc.field().schema(), raw)) {
                value = new SuspectValue(value);
                sawSuspect = true;
            }
            row.put(nc.field().name(), value);
        }
        return row;
    }

    /** A value that does not convert becomes a {@link RefusedValue}, which the caller reports with its row. */
    private Object convert(FieldConverter converter, Object raw) {
        try {
            Object value = converter.convert(raw);
            sawRefused |= value instanceof RefusedValue;
            // A zero TIMESTAMP: the zero-date rule, like a suspect value, needs a look at the event.
            sawSuspect |= value instanceof InvalidDate;
            return value;
        } catch (RuntimeException e) {
            sawRefused = true;
            return new RefusedValue(raw instanceof Struct ? "(structured value)" : String.valueOf(raw),
                    e instanceof TapflowException ? e.getMessage() : "it has no exact tapflow value (" + e.getMessage() + ")");
        }
    }

    /** Whether a row converted since the last call held a {@link RefusedValue}; resets. */
    boolean takeSawRefused() {
        boolean saw = sawRefused;
        sawRefused = false;
        return saw;
    }

    private List<NamedConverter> buildConverters(Schema schema) {
        List<NamedConverter> list = new ArrayList<>();
        String table = tableOf(schema);
        for (Field f : schema.fields()) {
            boolean checked = mysql && (isDate(f.schema()) || isTime(f.schema()));
            // A domain over numeric arrives as text marked with the domain's name: known by its column instead.
            FieldConverter converter = f.schema().type() == Schema.Type.STRING && numericColumns.contains(table + "." + f.name())
                    ? DebeziumValueConverter::postgresNumeric : converterFor(f.schema());
            list.add(new NamedConverter(f, converter, checked, f.schema().defaultValue() != null));
        }
        return list;
    }

    /** "schema.table" of a row struct, whose schema Debezium names "prefix.schema.table.Value" (or ".Key"). */
    private static String tableOf(Schema schema) {
        String[] parts = schema.name() == null ? new String[0] : schema.name().split("\\.");
        return parts.length >= 3 ? parts[parts.length - 3] + "." + parts[parts.length - 2] : "";
    }

    FieldConverter converterFor(Schema schema) {
        String name = schema.name();
        // Compared by constant: the CDC jar relocates Kafka Connect, and with it the Decimal logical type's name.
        if (Decimal.LOGICAL_NAME.equals(name)) {
            return v -> (BigDecimal) v;
        }
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return DebeziumValueConverter::date;
                case "io.debezium.time.Time":
                    return time(1_000_000L);
                case "io.debezium.time.MicroTime":
                    return time(1_000L);
                case "io.debezium.time.NanoTime":
                    return time(1L);
                case "io.debezium.time.Timestamp":
                    return v -> timestamp(((Number) v).longValue(), 1_000L);
                case "io.debezium.time.MicroTimestamp":
                    return v -> timestamp(((Number) v).longValue(), 1_000_000L);
                case "io.debezium.time.NanoTimestamp":
                    return v -> timestamp(((Number) v).longValue(), 1_000_000_000L);
                case "io.debezium.time.ZonedTimestamp":
                    return mysql ? DebeziumValueConverter::mysqlTimestamp : DebeziumValueConverter::postgresTimestamp;
                case "io.debezium.time.Year":
                    return v -> ((Number) v).intValue();
                case "io.debezium.time.Interval":
                    return v -> PostgresIntervalText.fromDebezium((String) v);
                case "io.debezium.data.VariableScaleDecimal":
                    return v -> variableScaleDecimal((Struct) v);
                case "io.debezium.data.Bits":
                    return "64".equals(schema.parameters() == null ? null : schema.parameters().get("length"))
                            ? v -> unsignedBits(bytes(v)) : v -> bitsAsLong(bytes(v));
                case "io.debezium.data.geometry.Geometry":
                case "io.debezium.data.geometry.Point":
                    return v -> mysqlGeometry((Struct) v);
                case "io.debezium.data.Enum":
                case "io.debezium.data.EnumSet":
                case "io.debezium.data.Json":
                    return v -> (String) v;
                default:
                    break;
            }
        }
        String arrayElement = schema.parameters() == null ? null : schema.parameters().get(PostgresArrayColumns.ELEMENT_TYPE);
        if (!mysql && arrayElement != null) {
            return v -> PostgresArrayLiteral.parse(arrayElement, (String) v);
        }
        if (mysql && schema.type() == Schema.Type.FLOAT64 && isMySqlFloat(schema)) {
            // Exact: the double was widened from the 4-byte float the binlog holds.
            return v -> ((Number) v).floatValue();
        }
        if (!mysql && schema.type() == Schema.Type.STRING && isPostgresNumeric(schema)) {
            return DebeziumValueConverter::postgresNumeric;
        }
        if (!mysql && schema.type() == Schema.Type.BYTES && isSourceType(schema, "tsvector")) {
            // An unknown type to Debezium: the UTF-8 bytes of the server's text (include.unknown.datatypes).
            return v -> new String(bytes(v), StandardCharsets.UTF_8);
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
                throw new TapflowException("its type is one tapflow does not support yet (" + (name != null ? name : schema.type()) + ")");
            };
        };
    }

    private static boolean isDate(Schema schema) {
        String name = schema.name();
        return "io.debezium.time.Date".equals(name) || "io.debezium.time.Timestamp".equals(name)
                || "io.debezium.time.MicroTimestamp".equals(name) || "io.debezium.time.NanoTimestamp".equals(name);
    }

    private static boolean isTime(Schema schema) {
        String name = schema.name();
        return "io.debezium.time.Time".equals(name) || "io.debezium.time.MicroTime".equals(name)
                || "io.debezium.time.NanoTime".equals(name);
    }

    /**
     * Values the binlog decoder (Debezium 1.9) may have got wrong, which cannot be told from right ones here: it turns
     * a DATE/DATETIME with year, month or day 0 into NULL, and then, in a NOT NULL column, into the column's DEFAULT
     * (or epoch 0 without one); and it decodes some negative TIME values with a fraction wrongly (-838:59:59 in a
     * TIME(6) arrives as -838:59:59.048576).
     */
    private boolean isSuspect(Schema schema, Object raw) {
        if (isTime(schema)) {
            return raw instanceof Number n && n.longValue() < 0;
        }
        if (schema.isOptional()) {
            return raw == null && nullDatesSuspect;
        }
        Object fallback = schema.defaultValue();
        return fallback != null ? fallback.equals(raw) : raw instanceof Number n && n.longValue() == 0;
    }

    /** MySQL TIME is a signed span; PostgreSQL time a time of day, of which 24:00:00 has no LocalTime. */
    private FieldConverter time(long nanosPerUnit) {
        if (mysql) {
            return v -> Duration.ofNanos(((Number) v).longValue() * nanosPerUnit);
        }
        return v -> {
            long nanos = ((Number) v).longValue() * nanosPerUnit;
            return nanos < 0 || nanos >= NANOS_PER_DAY ? RefusedValue.timeOfDay(DurationText.format(Duration.ofNanos(nanos)))
                    : LocalTime.ofNanoOfDay(nanos);
        };
    }

    /** Set with {@code column.propagate.source.type}: PostgreSQL's numeric arrives as text (decimal.handling.mode=string). */
    private static boolean isPostgresNumeric(Schema schema) {
        return isSourceType(schema, "numeric");
    }

    /** A MySQL FLOAT (FLOAT(M,D) arrives as FLOAT64), marked by datatype.propagate.source.type. */
    private static boolean isMySqlFloat(Schema schema) {
        String type = schema.parameters() == null ? null : schema.parameters().get("__debezium.source.column.type");
        return type != null && type.toUpperCase(Locale.ROOT).startsWith("FLOAT");
    }

    private static boolean isSourceType(Schema schema, String type) {
        return schema.parameters() != null && type.equalsIgnoreCase(schema.parameters().get("__debezium.source.column.type"));
    }

    private static Object postgresNumeric(Object v) {
        String text = (String) v;
        return switch (text) {
            // The change stream spells NaN as NAN.
            case "NaN", "NAN", "Infinity", "-Infinity" -> RefusedValue.specialNumber(text.equals("NAN") ? "NaN" : text);
            default -> new BigDecimal(text);
        };
    }

    /**
     * Epoch days; PostgreSQL's change stream hands over its date infinities as its raw sentinels (INT_MIN and INT_MAX
     * days after 2000-01-01) moved to 1970, INT_MAX wrapping around: days no date of any source holds (PostgreSQL's
     * earliest is 4713 BC, about -2.4 million), which are refused as the snapshot refuses them.
     */
    private static Object date(Object v) {
        long days = ((Number) v).longValue();
        if (days == Integer.MIN_VALUE + POSTGRES_EPOCH_DAYS) {
            return RefusedValue.infinity("-infinity");
        }
        if (days == Integer.MIN_VALUE + POSTGRES_EPOCH_DAYS - 1) {
            return RefusedValue.infinity("infinity");
        }
        return LocalDate.ofEpochDay(days);
    }

    private static Object postgresTimestamp(Object v) {
        String text = (String) v;
        return text.endsWith("infinity") ? RefusedValue.infinity(text) : OffsetDateTime.parse(text).toInstant();
    }

    /** MySQL's zero TIMESTAMP is stored as epoch 0, a value outside TIMESTAMP's range (from 1970-01-01 00:00:01 UTC). */
    private static Object mysqlTimestamp(Object v) {
        Instant instant = OffsetDateTime.parse((String) v).toInstant();
        return instant.equals(Instant.EPOCH) ? new InvalidDate("0000-00-00 00:00:00") : instant;
    }

    /**
     * A wall-clock timestamp; PostgreSQL's change stream hands over a timestamp's infinities as the JDBC driver's
     * sentinels PGStatement.DATE_POSITIVE_INFINITY and DATE_NEGATIVE_INFINITY, which would read as the years 294247
     * and -290308: refused as the snapshot refuses them.
     */
    private static Object timestamp(long sinceEpoch, long unitsPerSecond) {
        if (sinceEpoch == POSTGRES_TIMESTAMP_INFINITY) {
            return RefusedValue.infinity("infinity");
        }
        return sinceEpoch == POSTGRES_TIMESTAMP_NEGATIVE_INFINITY ? RefusedValue.infinity("-infinity") : wallClock(sinceEpoch, unitsPerSecond);
    }

    /** Debezium encodes DATETIME as if it were UTC; decoding with UTC gives back the original wall-clock value. */
    private static LocalDateTime wallClock(long sinceEpoch, long unitsPerSecond) {
        // Split before scaling: years before 1677 or after 2262 do not fit a long of nanoseconds.
        long nanosPerUnit = 1_000_000_000L / unitsPerSecond;
        return LocalDateTime.ofEpochSecond(Math.floorDiv(sinceEpoch, unitsPerSecond),
                (int) (Math.floorMod(sinceEpoch, unitsPerSecond) * nanosPerUnit), ZoneOffset.UTC);
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

    /** MySQL's own geometry bytes (see {@link MySqlColumnTypes#SPATIAL}), as the snapshot reads them. */
    private static byte[] mysqlGeometry(Struct value) {
        byte[] wkb = bytes(value.get("wkb"));
        Integer srid = value.getInt32("srid");
        return ByteBuffer.allocate(4 + wkb.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(srid == null ? 0 : srid).put(wkb).array();
    }

    /** BIT(64): all 64 bits as an unsigned number; Debezium's Bits are little-endian. */
    private static BigDecimal unsignedBits(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return new BigDecimal(new BigInteger(1, bigEndian));
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
