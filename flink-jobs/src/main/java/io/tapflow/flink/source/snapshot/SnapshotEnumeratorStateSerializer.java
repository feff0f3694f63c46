package io.tapflow.flink.source.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned binary form of {@link SnapshotEnumeratorState}; splits are written as {@link SnapshotSplitSerializer} does. */
public final class SnapshotEnumeratorStateSerializer implements SimpleVersionedSerializer<SnapshotEnumeratorState> {
    public static final SnapshotEnumeratorStateSerializer INSTANCE = new SnapshotEnumeratorStateSerializer();

    @Override
    public int getVersion() {
        return SnapshotSplitSerializer.INSTANCE.getVersion();
    }

    @Override
    public byte[] serialize(SnapshotEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(state.streamingStart().file());
        out.writeLong(state.streamingStart().position());
        out.writeInt(state.pendingSplits().size());
        for (SnapshotSplit split : state.pendingSplits()) {
            SnapshotSplitSerializer.write(split, out);
        }
        out.writeInt(state.tables().size());
        for (Map.Entry<String, TableProgress> e : state.tables().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().splits());
            out.writeInt(e.getValue().splitsDone());
            out.writeLong(e.getValue().rows());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public SnapshotEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        SnapshotSplitSerializer.checkVersion(version);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        BinlogPosition start = new BinlogPosition(in.readUTF(), in.readLong());
        List<SnapshotSplit> splits = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            splits.add(SnapshotSplitSerializer.read(in));
        }
        Map<String, TableProgress> tables = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            tables.put(in.readUTF(), new TableProgress(in.readInt(), in.readInt(), in.readLong()));
        }
        return new SnapshotEnumeratorState(splits, start, tables);
    }
}
