package io.tapflow.flink.source.mysql.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned binary form of {@link SnapshotEnumeratorState}; splits are written as {@link SnapshotSplitSerializer} does.
 * Version 2 added each table's estimated row count; version 1 state reads with the estimate unknown. Version 3 added
 * the table schemas at the streaming start; older state reads without them (null).
 */
public final class SnapshotEnumeratorStateSerializer implements SimpleVersionedSerializer<SnapshotEnumeratorState> {
    public static final SnapshotEnumeratorStateSerializer INSTANCE = new SnapshotEnumeratorStateSerializer();
    private static final int WITHOUT_ESTIMATES = 1;
    private static final int WITHOUT_SCHEMAS = 2;
    private static final int VERSION = 3;

    @Override
    public int getVersion() {
        return VERSION;
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
            out.writeLong(e.getValue().estimatedRows());
        }
        StreamSchemasFormat.write(state.streamSchemas(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public SnapshotEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version < WITHOUT_ESTIMATES || version > VERSION) {
            throw new IOException("snapshot enumerator state has version " + version + "; this tapflow reads versions "
                    + WITHOUT_ESTIMATES + " to " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        BinlogPosition start = new BinlogPosition(in.readUTF(), in.readLong());
        List<SnapshotSplit> splits = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            splits.add(SnapshotSplitSerializer.read(in));
        }
        Map<String, TableProgress> tables = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String table = in.readUTF();
            int tableSplits = in.readInt();
            int splitsDone = in.readInt();
            long rows = in.readLong();
            long estimate = version == WITHOUT_ESTIMATES ? TableProgress.UNKNOWN : in.readLong();
            tables.put(table, new TableProgress(tableSplits, splitsDone, rows, estimate));
        }
        Map<String, String> schemas = version > WITHOUT_SCHEMAS ? StreamSchemasFormat.read(in) : null;
        return new SnapshotEnumeratorState(splits, start, schemas, tables);
    }
}
