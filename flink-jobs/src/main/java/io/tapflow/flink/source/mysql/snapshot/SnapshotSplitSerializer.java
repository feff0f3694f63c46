package io.tapflow.flink.source.mysql.snapshot;

import io.tapflow.flink.event.ChangeEventSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/** Versioned binary form of {@link SnapshotSplit}, for checkpoints. */
public final class SnapshotSplitSerializer implements SimpleVersionedSerializer<SnapshotSplit> {
    public static final SnapshotSplitSerializer INSTANCE = new SnapshotSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SnapshotSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public SnapshotSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        return read(new DataInputDeserializer(serialized));
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("snapshot split state of version " + version + " cannot be read by this tapflow "
                    + "(it reads version " + VERSION + ")");
        }
    }

    static void write(SnapshotSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeUTF(split.table());
        out.writeInt(split.keyColumns().size());
        for (String column : split.keyColumns()) {
            out.writeUTF(column);
        }
        out.writeBoolean(split.resumable());
        writeNullableString(split.rangeColumn(), out);
        writeNullableLong(split.rangeStart(), out);
        writeNullableLong(split.rangeEnd(), out);
        out.writeInt(split.resumeAfter() == null ? -1 : split.resumeAfter().size());
        if (split.resumeAfter() != null) {
            for (int i = 0; i < split.resumeAfter().size(); i++) {
                ChangeEventSerializer.writeValue(split.keyColumns().get(i), split.resumeAfter().get(i), out);
            }
        }
        out.writeLong(split.rowsRead());
    }

    static SnapshotSplit read(DataInputView in) throws IOException {
        String id = in.readUTF();
        String table = in.readUTF();
        List<String> keyColumns = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            keyColumns.add(in.readUTF());
        }
        boolean resumable = in.readBoolean();
        String rangeColumn = in.readBoolean() ? in.readUTF() : null;
        Long rangeStart = in.readBoolean() ? in.readLong() : null;
        Long rangeEnd = in.readBoolean() ? in.readLong() : null;
        int resumeSize = in.readInt();
        List<Object> resumeAfter = null;
        if (resumeSize >= 0) {
            resumeAfter = new ArrayList<>(resumeSize);
            for (int i = 0; i < resumeSize; i++) {
                resumeAfter.add(ChangeEventSerializer.readValue(in));
            }
        }
        return new SnapshotSplit(id, table, keyColumns, resumable, rangeColumn, rangeStart, rangeEnd, resumeAfter,
                in.readLong());
    }

    private static void writeNullableString(String value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static void writeNullableLong(Long value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }
}
