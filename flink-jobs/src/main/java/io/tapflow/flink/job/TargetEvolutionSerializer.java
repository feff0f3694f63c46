package io.tapflow.flink.job;

import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the schema-change follower knows of one source table, as checkpointed state: the source schema as of the
 * checkpoint's position in the change stream and the target table's columns, field by field (no Java serialization,
 * so the classes may change while old checkpoints still restore).
 */
final class TargetEvolutionSerializer implements SimpleVersionedSerializer<TargetEvolution> {
    static final TargetEvolutionSerializer INSTANCE = new TargetEvolutionSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    /** The state's bytes: the version, then the fields (a list state of byte arrays holds one table each). */
    byte[] toState(TargetEvolution table) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(VERSION);
        out.write(serialize(table));
        return out.getCopyOfBuffer();
    }

    TargetEvolution fromState(byte[] state) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(state);
        int version = in.readInt();
        byte[] rest = new byte[state.length - Integer.BYTES];
        in.readFully(rest);
        return deserialize(version, rest);
    }

    @Override
    public byte[] serialize(TargetEvolution table) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(table.accepted());
        TableSchema s = table.source();
        out.writeUTF(s.database());
        out.writeUTF(s.table());
        writeColumns(s.columns(), out);
        writeNames(s.primaryKey(), out);
        TargetTable t = table.target();
        out.writeUTF(t.sourceTable());
        out.writeUTF(t.name());
        writeNames(t.keyFields(), out);
        writeColumns(t.columns(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public TargetEvolution deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("schema-change follower state of version " + version + " is not known to this tapflow "
                    + "(it reads version " + VERSION + "); restore with the tapflow that wrote it, or start afresh");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int accepted = in.readInt();
        TableSchema source = new TableSchema(in.readUTF(), in.readUTF(), readColumns(in), readNames(in));
        TargetTable target = new TargetTable(in.readUTF(), in.readUTF(), readNames(in), readColumns(in));
        return new TargetEvolution(source, target, accepted);
    }

    static void writeColumns(List<Column> columns, DataOutputView out) throws IOException {
        out.writeInt(columns.size());
        for (Column c : columns) {
            out.writeUTF(c.name());
            out.writeUTF(c.dataType());
            out.writeUTF(c.columnType());
            out.writeLong(c.length());
            out.writeInt(c.precision());
            out.writeInt(c.scale());
            out.writeBoolean(c.nullable());
            out.writeBoolean(c.unsigned());
        }
    }

    static List<Column> readColumns(DataInputView in) throws IOException {
        int n = in.readInt();
        List<Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            columns.add(new Column(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readInt(), in.readInt(),
                    in.readBoolean(), in.readBoolean()));
        }
        return columns;
    }

    private static void writeNames(List<String> names, DataOutputView out) throws IOException {
        out.writeInt(names.size());
        for (String n : names) {
            out.writeUTF(n);
        }
    }

    private static List<String> readNames(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(in.readUTF());
        }
        return names;
    }
}
