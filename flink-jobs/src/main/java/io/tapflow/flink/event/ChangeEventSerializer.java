package io.tapflow.flink.event;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of {@link ChangeEvent}: a tag byte per value, so no Kryo fallback and no reflection. The format is
 * versioned through {@link Snapshot}; change it only together with a new snapshot version and a migration test.
 */
public final class ChangeEventSerializer extends TypeSerializerSingleton<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    public static final ChangeEventSerializer INSTANCE = new ChangeEventSerializer();

    private static final Op[] OPS = Op.values();
    private static final byte NULL = 0, FALSE = 1, TRUE = 2, INT = 3, LONG = 4, DECIMAL = 5, FLOAT = 6, DOUBLE = 7,
            STRING = 8, BYTES = 9, DATE = 10, TIME = 11, DATETIME = 12, INSTANT = 13, DURATION = 14;
    private static final int NO_ROW = -1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ChangeEvent createInstance() {
        return null;
    }

    @Override
    public ChangeEvent copy(ChangeEvent from) {
        // Every canonical value except byte[] is immutable.
        return new ChangeEvent(from.op(), from.table(), copyRow(from.key()), copyRow(from.before()), copyRow(from.after()),
                from.sourceTsMs());
    }

    @Override
    public ChangeEvent copy(ChangeEvent from, ChangeEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ChangeEvent event, DataOutputView out) throws IOException {
        out.writeByte(event.op().ordinal());
        out.writeUTF(event.table());
        out.writeLong(event.sourceTsMs());
        writeRow(event.key(), out);
        writeRow(event.before(), out);
        writeRow(event.after(), out);
    }

    @Override
    public ChangeEvent deserialize(DataInputView in) throws IOException {
        Op op = OPS[in.readByte()];
        String table = in.readUTF();
        long ts = in.readLong();
        return new ChangeEvent(op, table, readRow(in), readRow(in), readRow(in), ts);
    }

    @Override
    public ChangeEvent deserialize(ChangeEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ChangeEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static Map<String, Object> copyRow(Map<String, Object> row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.replaceAll((k, v) -> v instanceof byte[] b ? b.clone() : v);
        return copy;
    }

    private static void writeRow(Map<String, Object> row, DataOutputView out) throws IOException {
        if (row == null) {
            out.writeInt(NO_ROW);
            return;
        }
        out.writeInt(row.size());
        for (Map.Entry<String, Object> e : row.entrySet()) {
            out.writeUTF(e.getKey());
            writeValue(e.getKey(), e.getValue(), out);
        }
    }

    private static Map<String, Object> readRow(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size == NO_ROW) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>(Math.max(4, (int) (size / 0.75f) + 1));
        for (int i = 0; i < size; i++) {
            row.put(in.readUTF(), readValue(in));
        }
        return row;
    }

    /** Writes one canonical row value, tagged by type; also used by source split serializers. */
    public static void writeValue(String field, Object value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            out.writeInt(d.scale());
            writeBytes(d.unscaledValue().toByteArray(), out);
        } else if (value instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            // writeUTF stops at 64 KB; TEXT columns can be larger.
            writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        } else if (value instanceof byte[] bytes) {
            out.writeByte(BYTES);
            writeBytes(bytes, out);
        } else if (value instanceof LocalDate d) {
            out.writeByte(DATE);
            out.writeLong(d.toEpochDay());
        } else if (value instanceof LocalTime t) {
            out.writeByte(TIME);
            out.writeLong(t.toNanoOfDay());
        } else if (value instanceof LocalDateTime t) {
            out.writeByte(DATETIME);
            out.writeLong(t.toLocalDate().toEpochDay());
            out.writeLong(t.toLocalTime().toNanoOfDay());
        } else if (value instanceof Instant t) {
            out.writeByte(INSTANT);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (value instanceof java.time.Duration d) {
            out.writeByte(DURATION);
            out.writeLong(d.getSeconds());
            out.writeInt(d.getNano());
        } else {
            throw new IllegalArgumentException("field '" + field + "' holds a " + value.getClass().getName()
                    + ", which is not a tapflow row value type");
        }
    }

    /** Reads a value written by {@link #writeValue}. */
    public static Object readValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case DECIMAL -> {
                int scale = in.readInt();
                yield new BigDecimal(new BigInteger(readBytes(in)), scale);
            }
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
            case BYTES -> readBytes(in);
            case DATE -> LocalDate.ofEpochDay(in.readLong());
            case TIME -> LocalTime.ofNanoOfDay(in.readLong());
            case DATETIME -> LocalDateTime.of(LocalDate.ofEpochDay(in.readLong()), LocalTime.ofNanoOfDay(in.readLong()));
            case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case DURATION -> java.time.Duration.ofSeconds(in.readLong(), in.readInt());
            default -> throw new IOException("corrupt change event: unknown value tag " + tag);
        };
    }

    private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * Serializer snapshot; version 1 is the format above. Tags were only ever added (DURATION came later), so state
     * written before a tag existed reads unchanged.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
