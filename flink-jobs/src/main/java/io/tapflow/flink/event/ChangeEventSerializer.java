package io.tapflow.flink.event;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of {@link ChangeEvent}: a tag byte per value, so no Kryo fallback and no reflection. Embedded rows and
 * arrays (lookups) have tags of their own, added to both formats; state written before them never holds those tags,
 * so it reads as before.
 *
 * <p>Format 2 (compact, the current one): the table as its number in the job's {@link RowLayouts}, and each row laid
 * out like one of the job's planned column lists as that list's number and the values in order, so table and column
 * names cross task boundaries once per job, not per row. Anything not planned is written with its names. Format 1
 * (every name in every row) is still read, for state written before format 2: its snapshot class ({@link Snapshot})
 * restores a format-1 serializer, and {@link CompactSnapshot} declares the migration.
 */
public final class ChangeEventSerializer extends TypeSerializer<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    /** Compact, without planned layouts (every row written with its names, the table by name). */
    public static final ChangeEventSerializer INSTANCE = new ChangeEventSerializer(RowLayouts.NONE, 2);
    static final ChangeEventSerializer FORMAT_1 = new ChangeEventSerializer(RowLayouts.NONE, 1);

    private static final Op[] OPS = Op.values();
    private static final byte NULL = 0, FALSE = 1, TRUE = 2, INT = 3, LONG = 4, DECIMAL = 5, FLOAT = 6, DOUBLE = 7,
            STRING = 8, BYTES = 9, DATE = 10, TIME = 11, DATETIME = 12, INSTANT = 13, DURATION = 14,
            EMBEDDED_ROW = 15, EMBEDDED_ARRAY = 16;
    private static final int NO_ROW = -1;
    /** Format 2 row kinds; CHANGES: an after image laid out like its before image, only the values that differ. */
    private static final byte ABSENT = 0, NAMED = 1, LAID_OUT = 2, CHANGES = 3;

    private final RowLayouts layouts;
    private final int format;

    private ChangeEventSerializer(RowLayouts layouts, int format) {
        this.layouts = layouts;
        this.format = format;
    }

    /** The compact serializer of a job whose tables and rows follow these layouts. */
    public static ChangeEventSerializer compact(RowLayouts layouts) {
        return new ChangeEventSerializer(layouts, 2);
    }

    RowLayouts layouts() {
        return layouts;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<ChangeEvent> duplicate() {
        return this; // stateless
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
        if (format == 1) {
            out.writeUTF(event.table());
            out.writeLong(event.sourceTsMs());
            writeNamedRowV1(event.key(), out);
            writeNamedRowV1(event.before(), out);
            writeNamedRowV1(event.after(), out);
            return;
        }
        int table = layouts.tableId(event.table());
        writeVarInt(table + 1, out);
        if (table < 0) {
            out.writeUTF(event.table());
        }
        out.writeLong(event.sourceTsMs());
        writeRow(event.table(), event.key(), out);
        int beforeLayout = writeRow(event.table(), event.before(), out);
        Map<String, Object> after = event.after();
        int afterLayout = after == null ? -1 : layouts.layoutOf(event.table(), after);
        if (beforeLayout >= 0 && afterLayout == beforeLayout) {
            writeChanges(event.before(), after, out);
        } else {
            writeRow(after, afterLayout, out);
        }
    }

    @Override
    public ChangeEvent deserialize(DataInputView in) throws IOException {
        Op op = OPS[in.readByte()];
        if (format == 1) {
            String table = in.readUTF();
            long ts = in.readLong();
            return new ChangeEvent(op, table, readNamedRowV1(in), readNamedRowV1(in), readNamedRowV1(in), ts);
        }
        int table = readVarInt(in);
        String name = table == 0 ? in.readUTF() : layouts.table(table - 1);
        long ts = in.readLong();
        Map<String, Object> key = readRow(in);
        Map<String, Object> before = readRow(in);
        return new ChangeEvent(op, name, key, before, readRow(in, before), ts);
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
        return format == 1 ? new Snapshot() : new CompactSnapshot(layouts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeEventSerializer other && format == other.format && layouts.equals(other.layouts);
    }

    @Override
    public int hashCode() {
        return 31 * format + layouts.hashCode();
    }

    private static Map<String, Object> copyRow(Map<String, Object> row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.replaceAll((k, v) -> RowValues.copyValue(v));
        return copy;
    }

    /** Writes a row; returns its layout, or -1 when written with names (or absent). */
    private int writeRow(String table, Map<String, Object> row, DataOutputView out) throws IOException {
        return writeRow(row, row == null ? -1 : layouts.layoutOf(table, row), out);
    }

    /** Writes a row whose layout is known ({@code -1}: none, written with names). */
    private int writeRow(Map<String, Object> row, int layout, DataOutputView out) throws IOException {
        if (row == null) {
            out.writeByte(ABSENT);
            return -1;
        }
        if (layout < 0) {
            out.writeByte(NAMED);
            writeVarInt(row.size(), out);
            for (Map.Entry<String, Object> e : row.entrySet()) {
                out.writeUTF(e.getKey());
                writeCompactValue(e.getKey(), e.getValue(), out);
            }
            return -1;
        }
        out.writeByte(LAID_OUT);
        writeVarInt(layout, out);
        for (Map.Entry<String, Object> e : row.entrySet()) {
            writeCompactValue(e.getKey(), e.getValue(), out);
        }
        return layout;
    }

    /** An update's after image as a bitmap of the columns that differ from the before image, and their values. */
    private static void writeChanges(Map<String, Object> before, Map<String, Object> after, DataOutputView out)
            throws IOException {
        out.writeByte(CHANGES);
        byte[] changed = new byte[(after.size() + 7) / 8];
        Object[] values = after.values().toArray();
        int i = 0;
        for (Object old : before.values()) {
            if (!sameValue(old, values[i])) {
                changed[i / 8] |= (byte) (1 << (i % 8));
            }
            i++;
        }
        out.write(changed);
        i = 0;
        for (Map.Entry<String, Object> e : after.entrySet()) {
            if ((changed[i / 8] & (1 << (i % 8))) != 0) {
                writeCompactValue(e.getKey(), e.getValue(), out);
            }
            i++;
        }
    }

    private static boolean sameValue(Object a, Object b) {
        return RowValues.valuesEqual(a, b);
    }

    private Map<String, Object> readRow(DataInputView in) throws IOException {
        return readRow(in, null);
    }

    /** @param before the before image an after image in CHANGES form refers to */
    private Map<String, Object> readRow(DataInputView in, Map<String, Object> before) throws IOException {
        byte kind = in.readByte();
        if (kind == ABSENT) {
            return null;
        }
        if (kind == NAMED) {
            int size = readVarInt(in);
            Map<String, Object> row = newRow(size);
            for (int i = 0; i < size; i++) {
                row.put(in.readUTF(), readCompactValue(in));
            }
            return row;
        }
        if (kind == CHANGES && before != null) {
            byte[] changed = new byte[(before.size() + 7) / 8];
            in.readFully(changed);
            Map<String, Object> row = newRow(before.size());
            int i = 0;
            for (Map.Entry<String, Object> e : before.entrySet()) {
                boolean differs = (changed[i / 8] & (1 << (i % 8))) != 0;
                // A copy of an unchanged byte[]: steps may change the after image in place.
                row.put(e.getKey(), differs ? readCompactValue(in) : RowValues.copyValue(e.getValue()));
                i++;
            }
            return row;
        }
        if (kind != LAID_OUT) {
            throw new IOException("corrupt change event: unknown row kind " + kind);
        }
        String[] names = layouts.names(readVarInt(in));
        Map<String, Object> row = newRow(names.length);
        for (String name : names) {
            row.put(name, readCompactValue(in));
        }
        return row;
    }

    private static Map<String, Object> newRow(int size) {
        return new LinkedHashMap<>(Math.max(4, (int) (size / 0.75f) + 1));
    }

    private static void writeNamedRowV1(Map<String, Object> row, DataOutputView out) throws IOException {
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

    private static Map<String, Object> readNamedRowV1(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size == NO_ROW) {
            return null;
        }
        Map<String, Object> row = newRow(size);
        for (int i = 0; i < size; i++) {
            row.put(in.readUTF(), readValue(in));
        }
        return row;
    }

    /**
     * Writes one canonical row value in format 2: the tags of {@link #writeValue}, with numbers, lengths and times as
     * variable-length integers (zigzag for signed ones), so small values take few bytes.
     */
    private static void writeCompactValue(String field, Object value, DataOutputView out) throws IOException {
        if (value instanceof Integer i) {
            out.writeByte(INT);
            writeVarLong(zigzag(i), out);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            writeVarLong(zigzag(l), out);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            writeVarLong(zigzag(d.scale()), out);
            writeCompactBytes(d.unscaledValue().toByteArray(), out);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            writeCompactBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        } else if (value instanceof byte[] bytes) {
            out.writeByte(BYTES);
            writeCompactBytes(bytes, out);
        } else if (value instanceof LocalDate d) {
            out.writeByte(DATE);
            writeVarLong(zigzag(d.toEpochDay()), out);
        } else if (value instanceof LocalTime t) {
            out.writeByte(TIME);
            writeVarLong(t.toNanoOfDay(), out);
        } else if (value instanceof LocalDateTime t) {
            out.writeByte(DATETIME);
            writeVarLong(zigzag(t.toLocalDate().toEpochDay()), out);
            writeVarLong(t.toLocalTime().toNanoOfDay(), out);
        } else if (value instanceof Instant t) {
            out.writeByte(INSTANT);
            writeVarLong(zigzag(t.getEpochSecond()), out);
            writeVarLong(t.getNano(), out);
        } else if (value instanceof java.time.Duration d) {
            out.writeByte(DURATION);
            writeVarLong(zigzag(d.getSeconds()), out);
            writeVarLong(d.getNano(), out);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(EMBEDDED_ROW);
            writeVarInt(map.size(), out);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeUTF((String) e.getKey());
                writeCompactValue(field + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            out.writeByte(EMBEDDED_ARRAY);
            writeVarInt(list.size(), out);
            for (Object element : list) {
                writeCompactValue(field + "[]", element, out);
            }
        } else {
            // null, booleans, floats and doubles: as in format 1
            writeValue(field, value, out);
        }
    }

    private static Object readCompactValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INT -> (int) unzigzag(readVarLong(in));
            case LONG -> unzigzag(readVarLong(in));
            case DECIMAL -> {
                int scale = (int) unzigzag(readVarLong(in));
                yield new BigDecimal(new BigInteger(readCompactBytes(in)), scale);
            }
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> new String(readCompactBytes(in), java.nio.charset.StandardCharsets.UTF_8);
            case BYTES -> readCompactBytes(in);
            case DATE -> LocalDate.ofEpochDay(unzigzag(readVarLong(in)));
            case TIME -> LocalTime.ofNanoOfDay(readVarLong(in));
            case DATETIME -> LocalDateTime.of(LocalDate.ofEpochDay(unzigzag(readVarLong(in))), LocalTime.ofNanoOfDay(readVarLong(in)));
            case INSTANT -> Instant.ofEpochSecond(unzigzag(readVarLong(in)), readVarLong(in));
            case DURATION -> java.time.Duration.ofSeconds(unzigzag(readVarLong(in)), readVarLong(in));
            case EMBEDDED_ROW -> {
                int size = readVarInt(in);
                Map<String, Object> row = newRow(size);
                for (int i = 0; i < size; i++) {
                    row.put(in.readUTF(), readCompactValue(in));
                }
                yield row;
            }
            case EMBEDDED_ARRAY -> {
                int size = readVarInt(in);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readCompactValue(in));
                }
                yield list;
            }
            default -> throw new IOException("corrupt change event: unknown value tag " + tag);
        };
    }

    private static void writeCompactBytes(byte[] bytes, DataOutputView out) throws IOException {
        writeVarLong(bytes.length, out);
        out.write(bytes);
    }

    private static byte[] readCompactBytes(DataInputView in) throws IOException {
        byte[] bytes = new byte[(int) readVarLong(in)];
        in.readFully(bytes);
        return bytes;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarLong(long value, DataOutputView out) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = in.readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("corrupt change event: a number longer than 10 bytes");
    }

    private static void writeVarInt(int value, DataOutputView out) throws IOException {
        writeVarLong(value & 0xFFFFFFFFL, out);
    }

    private static int readVarInt(DataInputView in) throws IOException {
        return (int) readVarLong(in);
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
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(EMBEDDED_ROW);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeUTF((String) e.getKey());
                writeValue(field + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            out.writeByte(EMBEDDED_ARRAY);
            out.writeInt(list.size());
            for (Object element : list) {
                writeValue(field + "[]", element, out);
            }
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
            case EMBEDDED_ROW -> {
                int size = in.readInt();
                Map<String, Object> row = newRow(size);
                for (int i = 0; i < size; i++) {
                    row.put(in.readUTF(), readValue(in));
                }
                yield row;
            }
            case EMBEDDED_ARRAY -> {
                int size = in.readInt();
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in));
                }
                yield list;
            }
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
     * The snapshot of format 1 (every name in every row), as state written before format 2 holds it; it restores a
     * format-1 serializer to read that state. Its class name is in such state: keep it.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeEvent> {
        public Snapshot() {
            super(() -> FORMAT_1);
        }
    }

    /**
     * The snapshot of format 2: its layouts, which state written with them needs to be read. A new job's serializer
     * reads its own layouts' state as it is, and state of other layouts or of format 1 after migration (read with the
     * old serializer, written again with the new one).
     */
    public static final class CompactSnapshot implements TypeSerializerSnapshot<ChangeEvent> {
        private static final int VERSION = 2;
        private RowLayouts layouts;

        /** For Flink, which reads the rest with {@link #readSnapshot}. */
        public CompactSnapshot() {}

        CompactSnapshot(RowLayouts layouts) {
            this.layouts = layouts;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(layouts.tables().size());
            for (String table : layouts.tables()) {
                out.writeUTF(table);
            }
            out.writeInt(layouts.layouts().size());
            for (List<String> layout : layouts.layouts()) {
                out.writeInt(layout.size());
                for (String column : layout) {
                    out.writeUTF(column);
                }
            }
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("change event serializer snapshot of version " + readVersion + " cannot be read by "
                        + "this tapflow (it reads " + VERSION + ")");
            }
            List<String> tables = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                tables.add(in.readUTF());
            }
            List<List<String>> lists = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                List<String> layout = new ArrayList<>();
                for (int j = in.readInt(); j > 0; j--) {
                    layout.add(in.readUTF());
                }
                lists.add(layout);
            }
            layouts = new RowLayouts(tables, lists);
        }

        @Override
        public TypeSerializer<ChangeEvent> restoreSerializer() {
            return compact(layouts);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ChangeEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ChangeEvent> oldSnapshot) {
            if (oldSnapshot instanceof CompactSnapshot old && old.layouts.equals(layouts)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            if (oldSnapshot instanceof CompactSnapshot || oldSnapshot instanceof Snapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
